/**
 * The fast tree walk (cursor kept in web-tree-sitter's transfer buffer) must copy exactly the tree
 * the public TreeCursor copies: same types, fields, missing flags, offsets and rows.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { createPythonParser, runtimeCursorExports } from '../../src/core/analysis/python/parser';
import { copyTree, type PyNode } from '../../src/core/analysis/python/syntax-tree';
import type { CursorExports } from '../../src/core/analysis/python/tree-walk';

const SAMPLES: Record<string, string> = {
  'assignments and calls': 'import pandas as pd\ndf = pd.read_csv("a.csv")\ndf["x"] = df["a"] / (df["b"] + 1)\nX, y = df.drop(columns=["y"]), df["y"]\n',
  'comprehensions and f-strings': 'scores = [m.score(X, y) for m in models if m is not None]\nprint(f"{len(scores)!r:>10} {scores[0]:.2f}")\n',
  'definitions': '@decorator(arg=1)\nasync def f(a, *args, b: int = 2, **kw) -> None:\n    global g\n    async with ctx() as c:\n        await c.run(a)\n    return lambda x: x + g\n\nclass C(Base, metaclass=M):\n    x: int = 1\n',
  'control flow': 'for i, (a, b) in enumerate(pairs):\n    if a:\n        continue\n    elif b:\n        break\n    else:\n        pass\nelse:\n    done = True\nwhile (n := n - 1) > 0:\n    del items[n]\ntry:\n    risky()\nexcept (ValueError, KeyError) as e:\n    raise RuntimeError() from e\nfinally:\n    cleanup()\n',
  'match': 'match command.split():\n    case [action, *rest] if rest:\n        go(action)\n    case {"k": v, **others}:\n        pass\n    case Point(x=0) | None:\n        pass\n    case _:\n        pass\n',
  'comments and continuations': 'total = a + \\\n    b  # trailing comment\n# a full-line comment\nx = (1,  # inside\n     2)\n',
  'non-ASCII text': 'café = "naïve ☃ 😀 text"\nπ = 3.14159\nprint(café, π, "😀😀", \'\'\'multi\nline 😀\'\'\')\n',
  'syntax errors': 'x = (1,\ny = [2, 3\ndef broken(:\n    pass\nz = 1 +\nprint("ok")\n',
  'missing tokens': 'if x\n    y = 1\nfoo(a, b\n',
  'empty': '',
};

let parser: Parser;
let fast: CursorExports | undefined;

before(async () => {
  parser = await createPythonParser();
  fast = runtimeCursorExports();
});

function copyBothWays(code: string, maxNodes = 400_000): { slow: ReturnType<typeof copyTree>; quick: ReturnType<typeof copyTree> } {
  const tree = parser.parse(code);
  assert.ok(tree, 'parsed');
  try {
    const quick = copyTree(tree, code, maxNodes, fast);
    const slow = copyTree(tree, code, maxNodes);
    return { slow, quick };
  } finally {
    tree.delete();
  }
}

function count(node: PyNode): number {
  return 1 + node.children.reduce((sum, child) => sum + count(child), 0);
}

describe('python tree walk: transfer-buffer cursor', () => {
  test('the runtime exposes the cursor exports the fast walk needs', () => {
    assert.ok(fast, 'web-tree-sitter 0.25 exports its *_wasm cursor functions on the module object');
  });

  for (const [name, code] of Object.entries(SAMPLES)) {
    test(`copies the same tree as the public cursor: ${name}`, () => {
      const { slow, quick } = copyBothWays(code);
      assert.deepEqual(quick, slow);
    });
  }

  test('copies the same truncated tree when the node limit cuts the cell', () => {
    const code = Array.from({ length: 40 }, (_, i) => `v${i} = f(v${i - 1 < 0 ? 0 : i - 1}, [1, 2, 3])`).join('\n');
    const { slow, quick } = copyBothWays(code, 120);
    assert.equal(quick.truncated, true);
    assert.ok(count(quick.root) <= 120);
    assert.deepEqual(quick, slow);
  });

  test('leaves the tree usable and the heap intact over many walks', () => {
    const code = Object.values(SAMPLES).join('\n');
    const first = copyBothWays(code).quick;
    for (let i = 0; i < 300; i += 1) copyBothWays(code);
    const tree = parser.parse(code);
    assert.ok(tree);
    try {
      assert.deepEqual(copyTree(tree, code, 400_000, fast), first);
      assert.equal(tree.rootNode.hasError, true);
      assert.equal(tree.rootNode.type, first.root.type);
      assert.equal(tree.rootNode.endIndex, code.length);
    } finally {
      tree.delete();
    }
  });
});
