export const WEBVIEW_PANELS: readonly string[];
export function buildWebviews(outdir: string): Promise<void>;
