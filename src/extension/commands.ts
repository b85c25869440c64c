/**
 * The one table of the extension's commands. Its ids and titles are exactly `package.json`
 * `contributes.commands` (a test checks both ways); features register handlers by these ids.
 */
export interface CommandInfo {
  readonly id: string;
  readonly title: string;
  readonly icon?: string;
}

export const COMMANDS = {
  tagVariable: { id: 'nbprov.tagVariable', title: 'nbprov: Tag Variable…' },
  untagVariable: { id: 'nbprov.untagVariable', title: 'nbprov: Untag Variable' },
  tagCellStage: { id: 'nbprov.tagCellStage', title: 'nbprov: Tag Cell Stage…', icon: '$(tag)' },
  saveTrial: { id: 'nbprov.saveTrial', title: 'nbprov: Save Trial…' },
  runAsTrial: { id: 'nbprov.runAsTrial', title: 'nbprov: Run Notebook as Trial…' },
  showLineage: { id: 'nbprov.showLineage', title: 'nbprov: Show Lineage' },
  compareTrials: { id: 'nbprov.compareTrials', title: 'nbprov: Compare Trials…' },
  showAcrossTrials: { id: 'nbprov.showAcrossTrials', title: 'nbprov: Show Variable Across Trials…' },
  showLog: { id: 'nbprov.showLog', title: 'nbprov: Show Log' },
  interruptKernel: { id: 'nbprov.interruptKernel', title: 'nbprov: Interrupt Kernel', icon: '$(debug-stop)' },
  restartKernel: { id: 'nbprov.restartKernel', title: 'nbprov: Restart Kernel', icon: '$(debug-restart)' },
  setServerToken: { id: 'nbprov.setServerToken', title: 'nbprov: Set Jupyter Server Token…' },
  // The Provenance side panel's actions (Trials and Tags views).
  refreshTrials: { id: 'nbprov.refreshTrials', title: 'nbprov: Refresh Trials', icon: '$(refresh)' },
  renameTrial: { id: 'nbprov.renameTrial', title: 'nbprov: Rename Trial…', icon: '$(edit)' },
  noteTrial: { id: 'nbprov.noteTrial', title: 'nbprov: Add Note to Trial…', icon: '$(note)' },
  deleteTrial: { id: 'nbprov.deleteTrial', title: 'nbprov: Delete Trial…', icon: '$(trash)' },
  compareTrialWith: { id: 'nbprov.compareTrialWith', title: 'nbprov: Compare Trial With…', icon: '$(diff)' },
  showTrialAcrossTrials: { id: 'nbprov.showTrialAcrossTrials', title: 'nbprov: Show Across Trials', icon: '$(graph-line)' },
  exportTrialJson: { id: 'nbprov.exportTrialJson', title: 'nbprov: Export Trial as JSON…' },
  exportTrialCsv: { id: 'nbprov.exportTrialCsv', title: 'nbprov: Export Trial as CSV…' },
  exportTrialProv: { id: 'nbprov.exportTrialProv', title: 'nbprov: Export Trial as PROV-JSON…' },
  openTrialCode: { id: 'nbprov.openTrialCode', title: "nbprov: Open Notebook at Trial's Code", icon: '$(go-to-file)' },
  revealCell: { id: 'nbprov.revealCell', title: 'nbprov: Reveal Cell' },
  acceptTagSuggestion: { id: 'nbprov.acceptTagSuggestion', title: 'nbprov: Accept Tag Suggestion', icon: '$(check)' },
} as const satisfies Record<string, CommandInfo>;

export type CommandKey = keyof typeof COMMANDS;
