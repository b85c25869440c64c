import { test } from 'node:test';

/**
 * The parts of one end-to-end story in one editor: each builds on the parts before it, so after a
 * failure the rest are skipped, saying so, instead of failing again for the same cause.
 */
export function storyParts(): (name: string, skip: string | false, body: () => Promise<void>) => void {
  let failedEarlier = false;
  return (name, skip, body) => {
    test(name, { skip, timeout: 900_000 }, async (t) => {
      if (failedEarlier) {
        t.skip('an earlier part of the story failed');
        return;
      }
      try {
        await body();
      } catch (error) {
        failedEarlier = true;
        throw error;
      }
    });
  };
}
