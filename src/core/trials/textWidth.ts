/** Text width helpers live with the chart code both the CLI and the webviews draw with. */
export * from '../../shared/chart/textWidth';
