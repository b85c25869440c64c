import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ERROR_MIME, messageOutput, STDERR_MIME, STDOUT_MIME, toPlainOutput } from '../../src/extension/kernel/outputs';

const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('kernel outputs become notebook cell outputs', () => {
  test('streams keep their name and text, marked for appending', () => {
    const out = toPlainOutput({ type: 'stream', name: 'stdout', text: 'hello\n' });
    assert.equal(out.stream, 'stdout');
    assert.equal(out.items[0]!.mime, STDOUT_MIME);
    assert.equal(text(out.items[0]!.data), 'hello\n');
    assert.deepEqual(out.metadata, { outputType: 'stream' });
    assert.equal(toPlainOutput({ type: 'stream', name: 'stderr', text: 'warn' }).items[0]!.mime, STDERR_MIME);
  });

  test('rich outputs: richest item first, PNG decoded from base64, SVG and HTML as text, JSON serialized', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const out = toPlainOutput({
      type: 'display_data',
      data: {
        'text/plain': '<Figure>',
        'image/png': `${png.toString('base64').slice(0, 4)}\n${png.toString('base64').slice(4)}`,
        'text/html': '<b>x</b>',
        'application/json': { a: [1, 2] },
        'image/svg+xml': '<svg/>',
      },
      metadata: { 'image/png': { width: 10 } },
    });
    assert.deepEqual(out.items.map((i) => i.mime), ['text/html', 'image/svg+xml', 'image/png', 'application/json', 'text/plain']);
    assert.deepEqual([...out.items.find((i) => i.mime === 'image/png')!.data], [...png]);
    assert.equal(text(out.items.find((i) => i.mime === 'image/svg+xml')!.data), '<svg/>');
    assert.deepEqual(JSON.parse(text(out.items.find((i) => i.mime === 'application/json')!.data)), { a: [1, 2] });
    assert.deepEqual(out.metadata, { outputType: 'display_data', metadata: { 'image/png': { width: 10 } } });
    assert.equal(out.stream, undefined);
  });

  test('an execute result carries its execution count for the ipynb serializer', () => {
    const out = toPlainOutput({ type: 'execute_result', data: { 'text/plain': '42' }, metadata: {}, executionCount: 7 });
    assert.equal(out.metadata.executionCount, 7);
    assert.equal(out.metadata.outputType, 'execute_result');
    assert.equal(text(out.items[0]!.data), '42');
  });

  test('vendor mimes come before html; unknown mimes after known rich ones', () => {
    const out = toPlainOutput({ type: 'display_data', data: { 'text/plain': 'p', 'application/x-unknown': 'u', 'text/html': 'h', 'application/vnd.plotly.v1+json': { data: [] } }, metadata: {} });
    assert.deepEqual(out.items.map((i) => i.mime), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain', 'application/x-unknown']);
  });

  test('errors keep name, message and the ANSI traceback; the original error is kept for saving', () => {
    const traceback = ['\u001b[0;31mValueError\u001b[0m Traceback', 'ValueError: bad'];
    const out = toPlainOutput({ type: 'error', ename: 'ValueError', evalue: 'bad', traceback });
    assert.equal(out.items[0]!.mime, ERROR_MIME);
    assert.deepEqual(JSON.parse(text(out.items[0]!.data)), { name: 'ValueError', message: 'bad', stack: traceback.join('\n') });
    assert.deepEqual(out.metadata.originalError, { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback });
  });

  test("nbprov's own messages are one line with no stack", () => {
    const out = messageOutput('No Python found: set nbprov.python.interpreter');
    assert.deepEqual(JSON.parse(text(out.items[0]!.data)), { name: 'nbprov', message: 'No Python found: set nbprov.python.interpreter', stack: '' });
  });
});
