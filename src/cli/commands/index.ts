import type { Command } from '../command';
import { analyzeCommand } from './analyze';
import { dependentsCommand } from './dependents';
import { lineageCommand } from './lineage';
import { tagCommand } from './tag';

/** Every verb, in the order `nbprov --help` lists them. */
export const commands: Command[] = [analyzeCommand, lineageCommand, dependentsCommand, tagCommand];
