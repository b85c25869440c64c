/** The hand-written soundness corpus (issue 11), every kind. */
import type { SoundnessCase } from '../cases';
import { aliasCases } from './alias';
import { callCases } from './calls';
import { fileCases } from './files';
import { historyCases } from './history';
import { negativeCases } from './negative';

export const CORPUS: readonly SoundnessCase[] = [...historyCases, ...aliasCases, ...callCases, ...fileCases, ...negativeCases];
