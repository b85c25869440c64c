/** Typed errors of the trial library. Messages are one line naming the problem and the fix. */
import { NbprovError } from '../errors';

export class TrialError extends NbprovError {}

const LISTED = 12;

function listed(names: string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} … and ${names.length - LISTED} more` : shown;
}

/** A variable asked for in a series or plot was never tagged in any trial. */
export class UnknownVariableError extends TrialError {
  constructor(
    readonly variable: string,
    /** The tagged variables, closest to `variable` first. */
    readonly tagged: string[],
  ) {
    super(
      tagged.length
        ? `variable "${variable}" is not tagged in any trial; tagged variables (closest first): ${listed(tagged)}`
        : `variable "${variable}" is not tagged in any trial, and no trial has tagged variables yet; tag one with \`nbprov tag NB VAR ROLE\` and run again`,
    );
  }
}

/** A trial reference (id, id prefix or name) matched no trial. */
export class UnknownTrialError extends TrialError {
  constructor(
    readonly reference: string,
    /** Closest trial ids/names first. */
    readonly suggestions: string[],
  ) {
    super(
      suggestions.length
        ? `no trial "${reference}"; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}? (\`nbprov trials\` lists them)`
        : `no trial "${reference}"; \`nbprov trials\` lists the saved trials (\`nbprov run NB\` saves one)`,
    );
  }
}

/** A trial reference matched several trials. */
export class AmbiguousTrialError extends TrialError {
  constructor(
    readonly reference: string,
    readonly matches: string[],
  ) {
    super(`trial reference "${reference}" matches ${matches.length} trials (${matches.join(', ')}); give more of the id`);
  }
}

/** Inconsistent input to buildTrial (a caller bug, reported clearly rather than producing a wrong trial). */
export class TrialBuildError extends TrialError {
}

/** An export format nbprov does not know. */
export class UnknownExportFormatError extends TrialError {
  constructor(readonly format: string) {
    super(`unknown export format "${format}"; use one of json, csv, prov-json`);
  }
}
