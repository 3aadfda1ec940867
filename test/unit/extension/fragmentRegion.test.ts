import * as assert from 'node:assert/strict';
import {
  blockSimilarity,
  declarationEnd,
  declaredName,
  lineSimilarity,
  locateFragment,
  looksLikeWholeFile,
  regionByDeclaration,
  regionBySymbol,
  regionByText,
  reindent,
  topLevelNames,
  type SymbolSpan,
} from '../../../src/extension/fragmentRegion';

const file = [
  "import { readFile } from 'node:fs/promises';", // 0
  '', // 1
  '/** Adds two numbers. */', // 2
  'export function add(a: number, b: number): number {', // 3
  '  return a + b;', // 4
  '}', // 5
  '', // 6
  'export function divide(a: number, b: number): number {', // 7
  '  const q = a / b;', // 8
  '  return q;', // 9
  '}', // 10
  '', // 11
  'export class Store {', // 12
  '  private items: string[] = [];', // 13
  '', // 14
  '  add(item: string): void {', // 15
  '    this.items.push(item);', // 16
  '  }', // 17
  '}', // 18
  '',
].join('\n');
const lines = file.split('\n');
const symbols: SymbolSpan[] = [
  { name: 'add', startLine: 3, endLine: 5 },
  { name: 'divide', startLine: 7, endLine: 10 },
  { name: 'Store', startLine: 12, endLine: 18, children: [{ name: 'items', startLine: 13, endLine: 13 }, { name: 'add', startLine: 15, endLine: 17 }] },
];

describe('fragment regions (where an answer’s code block goes)', () => {
  it('reads the name a declaration line declares, across languages', () => {
    assert.equal(declaredName('export async function fetchAll(urls: string[]) {'), 'fetchAll');
    assert.equal(declaredName('def parse_args(argv):'), 'parse_args');
    assert.equal(declaredName('pub fn new(size: usize) -> Self {'), 'new');
    assert.equal(declaredName('func (s *Server) Close() error {'), 'Close');
    assert.equal(declaredName('export const handler = async (event) => {'), 'handler');
    assert.equal(declaredName('  public static int Sum(int[] xs) {'), 'Sum');
    assert.equal(declaredName('class Store {'), 'Store');
    assert.equal(declaredName('if (x > 1) {'), undefined);
    assert.equal(declaredName('return a + b;'), undefined);
  });

  it('finds the one top-level name of a block, not the names inside it', () => {
    assert.deepEqual(topLevelNames(['/** doc */', 'function divide(a, b) {', '  function inner() {}', '  return a / b;', '}']), ['divide']);
    assert.deepEqual(topLevelNames(['function a() {}', 'function b() {}']), ['a', 'b']);
  });

  it('by symbol: a changed function replaces only that function', () => {
    const block = ['export function divide(a: number, b: number): number {', "  if (b === 0) throw new RangeError('b is 0');", '  return a / b;', '}'];
    assert.deepEqual(regionBySymbol(lines, block, symbols), { startLine: 7, endLine: 10, how: 'symbol', name: 'divide', score: 1 });
  });

  it('by symbol: of two symbols with the same name, the one whose text is closest', () => {
    const method = ['add(item: string): void {', '  if (!item) return;', '  this.items.push(item);', '}'];
    assert.equal(regionBySymbol(lines, method, symbols)?.startLine, 15);
    const fn = ['export function add(a: number, b: number): number {', '  return b + a;', '}'];
    assert.equal(regionBySymbol(lines, fn, symbols)?.startLine, 3);
  });

  it('by symbol: a block that brings its own doc comment replaces the old one too', () => {
    const block = ['/** The sum of a and b. */', 'export function add(a: number, b: number): number {', '  return a + b;', '}'];
    assert.equal(regionBySymbol(lines, block, symbols)?.startLine, 2);
    const bare = ['export function add(a: number, b: number): number {', '  return a + b + 0;', '}'];
    assert.equal(regionBySymbol(lines, bare, symbols)?.startLine, 3, 'a block without a comment keeps the existing one');
  });

  it('by text: the lines a fragment best matches, without symbols', () => {
    const block = ['  const q = a / b;', '  if (!Number.isFinite(q)) return 0;', '  return q;'];
    const region = regionByText(lines, block);
    assert.equal(region?.how, 'match');
    assert.deepEqual([region?.startLine, region?.endLine], [8, 9]);
    assert.ok((region?.score ?? 0) >= 0.6);
  });

  it('by text: refuses a block that resembles nothing, and one that fits two places equally', () => {
    assert.equal(regionByText(lines, ['SELECT name FROM users WHERE id = 1;', 'ORDER BY name;']), undefined);
    const twice = ['x = compute(1)', 'print(x)', '', 'y = 2', '', 'x = compute(1)', 'print(x)'];
    assert.equal(regionByText(twice, ['x = compute(1)', 'print(x)']), undefined);
  });

  it('without symbols: the one declaration of the same name, to its closing brace or the end of its indented body', () => {
    assert.equal(declarationEnd(lines, 7), 10);
    assert.equal(declarationEnd(lines, 12), 18);
    const py = ['def greet(name):', '    d = {', "        'a': 1}", '    return d', '', 'def bye():', '    return 1'];
    assert.equal(declarationEnd(py, 0), 3);
    assert.equal(declarationEnd(['const s = "}{";', 'function f() {', "  return '}';", '}'], 1), 3);
    // A look-alike neighbour (add) must not win over the function the block names (divide).
    const block = ['export function divide(a: number, b: number): number {', "  if (b === 0) throw new RangeError('0');", '  return a / b;', '}'];
    assert.deepEqual(regionByDeclaration(lines, block), { startLine: 7, endLine: 10, how: 'symbol', name: 'divide', score: 1 });
    assert.equal(regionByDeclaration(lines, ['function missing() {', '}']), undefined);
    assert.equal(regionByDeclaration(lines, ['  const q = a / b;', '  return q;']), undefined, 'a block that is more than the declaration');
    assert.equal(declarationEnd(['  go()', '}', 'function g() {', '}'], 0), undefined, 'a closing brace of an outer scope ends nothing');
  });

  it('locates by symbol first, then by text, else nothing', () => {
    assert.equal(locateFragment(file, 'export function divide(a: number, b: number): number {\n  return a / b;\n}\n', symbols)?.how, 'symbol');
    assert.equal(locateFragment(file, 'export function divide(a: number, b: number): number {\n  return a / b;\n}\n', [])?.startLine, 7);
    assert.equal(locateFragment(file, '  const q = a / b;\n  return q + 0;', [])?.how, 'match');
    assert.equal(locateFragment(file, 'fn main() {\n    println!("hello");\n}\n', symbols), undefined);
  });

  it('finds a fragment in a long file quickly', () => {
    const big = Array.from({ length: 3000 }, (_, i) => `function f${i}(x) {\n  return x * ${i};\n}\n`).join('\n');
    const started = performance.now();
    const region = locateFragment(big, 'function f1234(x) {\n  return x * 1234 + 1;\n}', []);
    const ms = performance.now() - started;
    assert.equal(big.split('\n')[region?.startLine ?? 0], 'function f1234(x) {');
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);

    const long = Array.from({ length: 40 }, (_, i) => `  step${i}(state, ${i * 7});`);
    const bigger = `${big}\nfunction pipeline(state) {\n${long.join('\n')}\n}\n${big}`;
    const edited = ['function pipeline(state) {', ...long.slice(0, 20), '  audit(state);', ...long.slice(20), '}'].join('\n');
    const t0 = performance.now();
    const found = locateFragment(bigger, edited, []);
    const ms2 = performance.now() - t0;
    assert.equal(bigger.split('\n')[found?.startLine ?? 0], 'function pipeline(state) {');
    assert.equal(bigger.split('\n')[found?.endLine ?? 0], '}');
    assert.ok(ms2 < 2000, `a 42-line block in ${bigger.split('\n').length} lines took ${ms2.toFixed(0)} ms`);
  });

  it('scores lines and blocks between 0 and 1', () => {
    assert.equal(lineSimilarity('  return a+b;', 'return a+b;'), 1);
    assert.ok(lineSimilarity('return a + b;', 'return a - b;') > 0.6);
    assert.ok(lineSimilarity('return a + b;', 'import x from y') < 0.5);
    assert.equal(blockSimilarity(['a();', 'b();'], ['a();', 'b();']), 1);
    assert.equal(blockSimilarity(['a();'], []), 0);
  });

  it('tells a whole file from a fragment, and re-indents a method the model wrote flush left', () => {
    assert.ok(looksLikeWholeFile(file, file.replace('a + b', 'b + a')));
    assert.ok(!looksLikeWholeFile(file, 'function x() {\n  return 1;\n}'));
    assert.ok(looksLikeWholeFile('', 'anything'));
    assert.equal(reindent('add(x) {\n  go(x);\n}', '  add(item: string): void {'), '  add(x) {\n    go(x);\n  }');
    assert.equal(reindent('  kept() {}', '    other'), '  kept() {}');
  });
});
