/**
 * The CLI's wording of errors: src/core raises errors as data (code + data + a neutral message);
 * here each code whose fix is a command gets a message naming the `nbprov` command (or shell
 * command) that fixes it. Every other error is shown by its own message.
 */
import { isCoreError, type CoreError, type NbprovError } from '../core/errors';

export interface ErrorWordingContext {
  /** Where relative paths on the command line start from. */
  cwd: string;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(' or ');

/** The one line the CLI prints for `err` (without the `nbprov: ` prefix). */
export function cliErrorMessage(err: NbprovError, context: ErrorWordingContext): string {
  return isCoreError(err) ? coreErrorMessage(err, context) : err.message;
}

function coreErrorMessage(err: CoreError, { cwd }: ErrorWordingContext): string {
  switch (err.code) {
    case 'unknown-variable':
      // A name hidden in a cell too large to analyse: the message already says what to do.
      return err.data.tooLarge ? err.message : `${err.message} Run \`nbprov analyze NOTEBOOK\` to list the names each cell defines.`;
    case 'variable-not-tagged':
      return err.data.tagged.length
        ? err.message
        : `variable "${err.data.variable}" is not tagged in any trial, and no trial has tagged variables yet; tag one with \`nbprov tag NB VAR ROLE\` and run again`;
    case 'unknown-trial':
      return err.data.suggestions.length
        ? `no trial "${err.data.reference}"; did you mean ${quoted(err.data.suggestions)}? (\`nbprov trials\` lists them)`
        : `no trial "${err.data.reference}"; \`nbprov trials\` lists the saved trials (\`nbprov run NB\` saves one)`;
    case 'no-recorded-session':
      return `${err.data.notebook} has no recorded session in this workspace; run it first with: nbprov run ${err.data.notebook}`;
    case 'no-tagged-variables': {
      const nb = err.data.notebook;
      return `${nb} has no tagged variables, so a trial would hold nothing; tag some with \`nbprov tag ${nb} VAR ROLE\` or \`nbprov tag ${nb} --accept-suggested\``;
    }
    case 'notebook-unsupported-nbformat':
      return `${err.data.path}: is nbformat ${err.data.nbformat}; nbprov reads nbformat ${err.data.supported} (convert it with: jupyter nbconvert --to notebook --nbformat ${err.data.supported})`;
    case 'notebook-not-found':
      return `${err.data.path}: no such file; check the path (relative paths start from ${cwd})`;
    case 'notebook-unreadable':
      if (err.data.reason === 'ELOOP') return `${err.data.path}: cannot be read: it is a loop of symbolic links; point the link at a real notebook`;
      return `${err.message}; check its permissions`;
    case 'notebook-changed':
      return `${err.data.path} changed while nbprov was tagging it (${err.data.detail}); nothing was written — run the nbprov tag command again`;
    case 'unknown-parameter':
      return err.data.assignedIn === null
        ? `${err.message} (to inject a new name on purpose: --new-param ${err.data.name}=VALUE)`
        : `${err.message}; or inject it anyway with --new-param ${err.data.name}=VALUE`;
    case 'tag-unknown-variable':
      return `${err.message} (a name made at run time can be tagged with --force; \`nbprov analyze NOTEBOOK\` lists the names each cell defines)`;
    case 'tag-role-typo':
    case 'tag-stage-typo':
      return `${err.message}; to keep it as written, add --force`;
    default:
      return err.message;
  }
}
