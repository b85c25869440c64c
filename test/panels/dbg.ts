import { launch, openPanel, send } from './browser';
import { lineageFixture } from './fixtures';
(async () => {
  const pb = await launch();
  const errors: string[] = [];
  const p = await openPanel(pb, 'lineage', errors);
  await send(p, { type: 'lineage', version: 1, data: lineageFixture() });
  await p.waitForTimeout(500);
  await p.screenshot({ path: '/tmp/lin.png' }); console.log(await p.evaluate(() => JSON.stringify([document.querySelector('svg')!.getBoundingClientRect(), document.querySelector('.scene')!.getAttribute('transform'), getComputedStyle(document.querySelector('g.node rect')!).fill, document.querySelector('.graph')!.getBoundingClientRect()])));
  console.log(errors, await p.evaluate(() => [...document.querySelectorAll('g.node')].map((n) => JSON.stringify(n.getBoundingClientRect()))));
  await pb.close();
})();
