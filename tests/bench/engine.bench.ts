/**
 * Engine benchmark (issue 2). Run: `npm run bench -- engine` (node --expose-gc).
 * Times single calls with process.hrtime.bigint() after a warm-up, so each figure includes
 * the timer's own ~50 ns; prints a markdown table and writes tests/bench/out/engine.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import {
  availableOptions,
  type CompiledProduct,
  compile,
  count,
  productSchema,
  type Selection,
  sampleConfiguration,
  validate,
} from '../../catalog/index';
import { loadCatalogFromDisk } from '../../server/catalog-files';
import { syntheticProduct } from './synthetic';

const gc = (globalThis as { gc?: () => void }).gc;

let seed = 7;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function stats(ns: number[]) {
  const s = [...ns].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]! / 1000;
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1]! / 1000 };
}

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t);
}

/** A shopper: modules in random order, each time an available option, availableOptions after each pick. */
function pickSequences(cp: CompiledProduct, sequences: number, reasons: boolean): number[] {
  const out: number[] = [];
  for (let s = 0; s < sequences; s++) {
    const sel: Selection = {};
    const order = cp.modules.map((m) => m).sort(() => random() - 0.5);
    out.push(time(() => availableOptions(cp, sel, { reasons })));
    for (const m of order) {
      const avail = availableOptions(cp, sel, { reasons: false }).find((x) => x.id === m.id)!;
      if (m.kind === 'text') {
        if (avail.available && random() < 0.5) sel[m.id] = 'AB';
      } else {
        const ok = avail.options.filter((o) => o.available);
        sel[m.id] = ok[Math.floor(random() * ok.length)]!.id;
      }
      out.push(time(() => availableOptions(cp, sel, { reasons })));
    }
  }
  return out;
}

function compiledHeapBytes(make: () => CompiledProduct): number {
  if (!gc) return Number.NaN;
  const keep: CompiledProduct[] = [];
  gc();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 20; i++) keep.push(make());
  gc();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  return (after - before) / keep.length;
}

const catalog = loadCatalogFromDisk();
const jeans = catalog.products.get('jeans')!;
const shirt = catalog.products.get('shirt')!;
const suitSource = productSchema.parse(syntheticProduct(42, 48));
const suit = compile(suitSource);

const rows: Record<string, unknown>[] = [];
for (const [name, source] of [
  ['jeans', jeans.product],
  ['shirt', shirt.product],
  ['synthetic suit', suitSource],
] as const) {
  const times: number[] = [];
  let cp: CompiledProduct | undefined;
  for (let i = 0; i < 7; i++) times.push(time(() => (cp = compile(source))));
  rows.push({
    product: name,
    modules: cp!.modules.length,
    rules: cp!.rules.length,
    rawCombinations: cp!.modules.reduce((p, m) => p * BigInt(m.size), 1n).toString(),
    validConfigurations: cp!.total.toString(),
    diagramNodes: cp!.stats.nodes,
    tableEntries: cp!.stats.tableEntries,
    compiledBytesEstimate: cp!.stats.bytes,
    compiledHeapBytesMeasured: Math.round(compiledHeapBytes(() => compile(source))),
    compileMsMedian: stats(times).p50 / 1000,
  });
}

// validate: random valid complete jeans, and the same with one option swapped (mostly invalid).
const valid = Array.from({ length: 2000 }, () => sampleConfiguration(jeans, random)!);
for (let i = 0; i < 20000; i++) validate(jeans, valid[i % valid.length]!);
const validateValid: number[] = [];
for (let r = 0; r < 50; r++) for (const s of valid) validateValid.push(time(() => validate(jeans, s)));
const broken = valid.map((s) => ({ ...s, fabric: 'selvedge-21', stretch: 'power', hem: 'cuffed' }));
// The same warm-up as the valid case: without it the first calls of the error path (interpreted,
// then compiled mid-measurement) were the p99.
for (let i = 0; i < 20000; i++) validate(jeans, broken[i % broken.length]!);
const validateInvalid: number[] = [];
for (let r = 0; r < 10; r++) for (const s of broken) validateInvalid.push(time(() => validate(jeans, s)));

pickSequences(jeans, 300, true); // warm-up
const jeansAvail = pickSequences(jeans, 3000, true);
const jeansAvailNoReasons = pickSequences(jeans, 3000, false);
pickSequences(suit, 50, true);
const suitAvail = pickSequences(suit, 1000, true);
const suitAvailNoReasons = pickSequences(suit, 1000, false);
const suitCount: number[] = [];
for (let i = 0; i < 2000; i++) {
  const partial = sampleConfiguration(suit, random)!;
  for (const k of Object.keys(partial)) if (random() < 0.6) delete partial[k];
  suitCount.push(time(() => count(suit, partial)));
}

const result = {
  machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`,
  date: new Date().toISOString(),
  products: rows,
  microseconds: {
    'validate jeans, valid complete': stats(validateValid),
    'validate jeans, invalid (3 broken rules)': stats(validateInvalid),
    'availableOptions jeans, after each pick (with reasons)': stats(jeansAvail),
    'availableOptions jeans, after each pick (flags only)': stats(jeansAvailNoReasons),
    'availableOptions synthetic 10^9, after each pick (with reasons)': stats(suitAvail),
    'availableOptions synthetic 10^9, after each pick (flags only)': stats(suitAvailNoReasons),
    'count synthetic 10^9, random partial': stats(suitCount),
  },
};
mkdirSync('tests/bench/out', { recursive: true });
writeFileSync('tests/bench/out/engine.json', JSON.stringify(result, null, 2));
console.log(result.machine);
console.table(rows);
console.log('| measurement (µs) | calls | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |');
for (const [k, v] of Object.entries(result.microseconds))
  console.log(
    `| ${k} | ${v.n} | ${v.p50.toFixed(2)} | ${v.p95.toFixed(2)} | ${v.p99.toFixed(2)} | ${v.max.toFixed(1)} |`,
  );
