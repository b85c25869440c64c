/** Typed errors of the trial library: code + data, and one neutral line naming the problem. */
import { NbprovError } from '../errors';

/** Code → data of the trial errors (see CoreErrorData). */
export interface TrialErrorData {
  /** A variable asked for across trials was never tagged in any trial; `tagged` closest first. */
  'variable-not-tagged': { variable: string; tagged: string[] };
  'unknown-trial': { reference: string; suggestions: string[] };
  'ambiguous-trial': { reference: string; matches: string[] };
  'trial-build': { detail: string };
  'unknown-export-format': { format: string; formats: string[] };
  /** Nothing recorded for this notebook, so there is no session to make a trial from. */
  'no-recorded-session': { notebook: string };
  /** The notebook tags no variable, so a trial would hold nothing. */
  'no-tagged-variables': { notebook: string };
  /** Another trial already has the name asked for (names are unique in a workspace). */
  'trial-name-taken': { name: string; takenBy: string };
}

type Code = keyof TrialErrorData;

export class TrialError<C extends Code = Code> extends NbprovError<C, TrialErrorData[C]> {
  /** A plain TrialError is `trial-build` with the message as its detail. */
  constructor(message: string, details?: { code: C; data: TrialErrorData[C] }) {
    super(message, details ?? ({ code: 'trial-build', data: { detail: message } } as { code: C; data: TrialErrorData[C] }));
  }
}

const LISTED = 12;

function listed(names: string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} … and ${names.length - LISTED} more` : shown;
}

/** A variable asked for in a series or plot was never tagged in any trial. */
export class UnknownVariableError extends TrialError<'variable-not-tagged'> {
  constructor(
    readonly variable: string,
    /** The tagged variables, closest to `variable` first. */
    readonly tagged: string[],
  ) {
    super(
      tagged.length
        ? `variable "${variable}" is not tagged in any trial; tagged variables (closest first): ${listed(tagged)}`
        : `variable "${variable}" is not tagged in any trial, and no trial has tagged variables yet; tag it in the notebook and run it again`,
      { code: 'variable-not-tagged', data: { variable, tagged } },
    );
  }
}

/** A trial reference (id, id prefix or name) matched no trial. */
export class UnknownTrialError extends TrialError<'unknown-trial'> {
  constructor(
    readonly reference: string,
    /** Closest trial ids/names first. */
    readonly suggestions: string[],
  ) {
    super(suggestions.length ? `no trial "${reference}"; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : `no trial "${reference}"`, {
      code: 'unknown-trial',
      data: { reference, suggestions },
    });
  }
}

/** A trial reference matched several trials. */
export class AmbiguousTrialError extends TrialError<'ambiguous-trial'> {
  constructor(
    readonly reference: string,
    readonly matches: string[],
  ) {
    super(`trial reference "${reference}" matches ${matches.length} trials (${matches.join(', ')}); give more of the id`, {
      code: 'ambiguous-trial',
      data: { reference, matches },
    });
  }
}

/** Inconsistent input to buildTrial (a caller bug, reported clearly rather than producing a wrong trial). */
export class TrialBuildError extends TrialError<'trial-build'> {
  constructor(message: string) {
    super(message, { code: 'trial-build', data: { detail: message } });
  }
}

export const EXPORT_FORMATS = ['json', 'csv', 'prov-json'] as const;

/** An export format nbprov does not know. */
export class UnknownExportFormatError extends TrialError<'unknown-export-format'> {
  constructor(readonly format: string) {
    super(`unknown export format "${format}"; use one of ${EXPORT_FORMATS.join(', ')}`, { code: 'unknown-export-format', data: { format, formats: [...EXPORT_FORMATS] } });
  }
}

/** No recorded session for the notebook: there is nothing to make a trial from. */
export class NoRecordedSessionError extends TrialError<'no-recorded-session'> {
  constructor(readonly notebook: string) {
    super(`${notebook} has no recorded session in this workspace; run it first`, { code: 'no-recorded-session', data: { notebook } });
  }
}

/** No tagged variables: a trial would hold nothing. */
export class NoTaggedVariablesError extends TrialError<'no-tagged-variables'> {
  constructor(readonly notebook: string) {
    super(`${notebook} has no tagged variables, so a trial would hold nothing; tag some first`, { code: 'no-tagged-variables', data: { notebook } });
  }
}

/** A rename onto a name another trial has. */
export class TrialNameTakenError extends TrialError<'trial-name-taken'> {
  constructor(
    readonly trialName: string,
    /** The id of the trial that has the name. */
    readonly takenBy: string,
  ) {
    super(`trial name "${trialName}" is taken by trial ${takenBy}; pick another name, or rename that trial first`, { code: 'trial-name-taken', data: { name: trialName, takenBy } });
  }
}
