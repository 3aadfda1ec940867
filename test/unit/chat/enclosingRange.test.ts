import * as assert from 'node:assert/strict';
import { codeAroundProblem, innermostSymbol, paragraphAround, pickEnclosingRange, type SymbolNode } from '../../../src/chat/enclosingRange';

const Class = 4;
const Method = 5;
const Property = 6;
const Function = 11;
const Variable = 12;
const Constant = 13;

function symbol(name: string, kind: number, startLine: number, endLine: number, children: SymbolNode[] = []): SymbolNode {
  return { name, kind, range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: 1 } }, children };
}

// class Shapes (0-20) { field (1); area() (3-8) { nested function helper (5-7) }; perimeter() (10-14) }; function top (22-30)
const tree: SymbolNode[] = [
  symbol('Shapes', Class, 0, 20, [
    symbol('field', Property, 1, 1),
    symbol('area', Method, 3, 8, [symbol('helper', Function, 5, 7)]),
    symbol('perimeter', Method, 10, 14),
  ]),
  symbol('top', Function, 22, 30),
  symbol('handler', Constant, 32, 36),
  symbol('flag', Variable, 38, 38),
];

const lines = ['a', 'b', '', 'c', 'd', 'e', '', '', 'f'];

describe('enclosing range', () => {
  it('picks the innermost function, method or class around the cursor', () => {
    assert.equal(innermostSymbol(tree, { startLine: 4, endLine: 4 })?.name, 'area');
    assert.equal(innermostSymbol(tree, { startLine: 6, endLine: 6 })?.name, 'helper');
    assert.equal(innermostSymbol(tree, { startLine: 12, endLine: 12 })?.name, 'perimeter');
    assert.equal(innermostSymbol(tree, { startLine: 9, endLine: 9 })?.name, 'Shapes', 'between methods: the class');
    assert.equal(innermostSymbol(tree, { startLine: 1, endLine: 1 })?.name, 'Shapes', 'a one-line property is not a unit of code');
    assert.equal(innermostSymbol(tree, { startLine: 25, endLine: 25 })?.name, 'top');
  });

  it('takes a multi-line value (an arrow function in a const) only when no declaration encloses the cursor', () => {
    assert.equal(innermostSymbol(tree, { startLine: 34, endLine: 34 })?.name, 'handler');
    assert.equal(innermostSymbol(tree, { startLine: 38, endLine: 38 }), undefined, 'a one-line variable is not picked');
    assert.equal(innermostSymbol(tree, { startLine: 21, endLine: 21 }), undefined);
  });

  it('works on the flat lists SymbolInformation gives (no children)', () => {
    const flat = [symbol('Shapes', Class, 0, 20), symbol('area', Method, 3, 8), symbol('helper', Function, 5, 7)];
    assert.equal(innermostSymbol(flat, { startLine: 4, endLine: 4 })?.name, 'area');
  });

  it('a range must fit inside the symbol', () => {
    assert.equal(innermostSymbol(tree, { startLine: 7, endLine: 11 })?.name, 'Shapes');
  });

  it('returns the symbol lines and name, with symbols', () => {
    assert.deepEqual(pickEnclosingRange(tree, { line: 4, character: 2 }, lines), { startLine: 3, endLine: 8, source: 'symbol', name: 'area' });
  });

  it('falls back to the paragraph when no symbol provider answered or none encloses the cursor', () => {
    assert.deepEqual(pickEnclosingRange(undefined, { line: 4, character: 0 }, lines), { startLine: 3, endLine: 5, source: 'paragraph' });
    assert.deepEqual(pickEnclosingRange([], { line: 0, character: 0 }, lines), { startLine: 0, endLine: 1, source: 'paragraph' });
    assert.deepEqual(pickEnclosingRange(undefined, { line: 8, character: 0 }, lines), { startLine: 8, endLine: 8, source: 'paragraph' });
  });

  it('finds nothing on a blank line with no enclosing symbol', () => {
    assert.equal(pickEnclosingRange(undefined, { line: 6, character: 0 }, lines), undefined);
    assert.equal(paragraphAround(lines, 99), undefined);
    assert.equal(paragraphAround([], 0), undefined);
  });

  it('sends a problem with its enclosing declaration, or a margin of lines when there is none or it is too long', () => {
    assert.deepEqual(codeAroundProblem(tree, { startLine: 12, endLine: 12 }, 40), { startLine: 10, endLine: 14, source: 'symbol', name: 'perimeter' });
    assert.deepEqual(codeAroundProblem(undefined, { startLine: 12, endLine: 13 }, 40, { margin: 3 }), { startLine: 9, endLine: 16, source: 'lines' });
    assert.deepEqual(codeAroundProblem(tree, { startLine: 9, endLine: 9 }, 40, { maxLines: 10, margin: 2 }), { startLine: 7, endLine: 11, source: 'lines', tooLong: 'Shapes' }, 'the class is too long');
    assert.deepEqual(codeAroundProblem(undefined, { startLine: 1, endLine: 1 }, 4, { margin: 5 }), { startLine: 0, endLine: 3, source: 'lines' }, 'clamped to the file');
  });
});
