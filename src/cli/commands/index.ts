import type { Command } from '../command';
import { analyzeCommand } from './analyze';
import { demoCommand } from './demo';
import { dependentsCommand } from './dependents';
import { diffCommand } from './diff';
import { exportCommand } from './export';
import { lineageCommand } from './lineage';
import { plotCommand } from './plot';
import { runCommand } from './run';
import { staleCommand } from './stale';
import { tagCommand } from './tag';
import { trialCommand } from './trial';
import { trialsCommand } from './trials';
import { valuesCommand } from './values';

/** Every verb, in the order `nbprov --help` lists them. */
export const commands: Command[] = [runCommand, analyzeCommand, lineageCommand, dependentsCommand, staleCommand, tagCommand, trialsCommand, trialCommand, diffCommand, valuesCommand, plotCommand, exportCommand, demoCommand];
