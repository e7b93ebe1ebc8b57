import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { handshakes, type AuthFor } from './gateway.client.js';
import type { GatewayAlgorithm, ServerSpec } from './gateway.protocol.js';
import { ServerProcess } from './gateway.server-process.js';
import { benchKey, mintTokens } from './gateway.tokens.js';
import { median, round } from './harness.js';

// Server CPU per authenticated handshake only, the figure of gateway.bench.ts `handshakeBench`, in a minute rather
// than the whole gateway bench's eight: the same servers, client and tokens. With `--profile`, each server writes a
// V8 CPU profile and the functions with the most self time per handshake are printed for each mode, with what each
// mode adds over the next lighter one; `--baseline <tree>` measures another checkout's ioauth servers in the same
// runs (a change against the code before it).
//
//   SWC_NODE_PROJECT=bench/tsconfig.json node --import @swc-node/register/esm-register bench/handshake-profile.ts \
//     [--runs 8] [--slice-ms 1000] [--warm-up 3000] [--baseline <tree>] [--profile] [--top 25]
//     [--analyze <profiles folder>]

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const RUNS = option('runs', 8);
const SLICE_MS = option('slice-ms', 1000);
const WARM_UP = option('warm-up', 3000);
const TOP = option('top', 25);
const PROFILE = args.includes('--profile');
const IN_FLIGHT = 16;
const TOKEN_POOL = 3000;

// `--baseline <tree>`: the ioauth servers of another checkout too (its own libs, this node_modules), measured in
// the same runs: a change against the code before it, rather than against a figure of another run.
const baselineAt = args.indexOf('--baseline');
const BASELINE = baselineAt < 0 ? undefined : resolve(args[baselineAt + 1] as string);
const IOAUTH_MODES = ['ioauth.HS256', 'ioauth.ES256'];
const MODES = [
  'socket.io',
  'nest',
  ...IOAUTH_MODES,
  ...(BASELINE ? IOAUTH_MODES.map((mode) => `${mode}@baseline`) : []),
];

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive time by function (µs). */
interface Times {
  self: Map<string, number>;
  inclusive: Map<string, number>;
}

/**
 * Self and inclusive time by function of the main thread's profile (thread id 0 in its file name) under `folder`,
 * from the first sample inside engine.io's `handshake` on: the boot before it is not the handshake's.
 */
async function profileTimes(folder: string): Promise<Times> {
  const file = (await readdir(folder)).find((name) => /\.0\.\d+\.cpuprofile$/.test(name));
  if (!file) throw new Error(`no main-thread profile in ${folder}`);
  const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as CpuProfile;
  const frames = new Map<number, string>();
  const parents = new Map<number, number>();
  for (const { id, callFrame, children = [] } of profile.nodes) {
    const where = callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*?\/(libs|bench)\//, '$1/');
    frames.set(id, `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`);
    for (const child of children) parents.set(child, id);
  }
  const stack = (id: number) => {
    const ids: number[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) ids.push(at);
    return ids;
  };
  const times: Times = { self: new Map(), inclusive: new Map() };
  let started = false;
  profile.samples.forEach((id, i) => {
    const ids = stack(id);
    const names = ids.map((at) => frames.get(at) as string);
    started ||= names.some((name) => name.startsWith('handshake engine.io/'));
    if (!started) return;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const self = names[0] as string;
    times.self.set(self, (times.self.get(self) ?? 0) + delta);
    for (const name of new Set(names)) times.inclusive.set(name, (times.inclusive.get(name) ?? 0) + delta);
  });
  return times;
}

const perHandshake = (time: number, count: number) => String(round(time / count, 2)).padStart(7);

function printTop(title: string, entries: [string, number][], count: number): void {
  console.log(`\n${title}`);
  for (const [frame, time] of entries.sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`  ${perHandshake(time, count)}  ${frame}`);
}

/** Prints where each server spent its CPU per handshake, from the profiles and handshake counts in `profiles`. */
async function report(profiles: string): Promise<void> {
  const counts = JSON.parse(await readFile(join(profiles, 'handshakes.json'), 'utf8')) as Record<
    string,
    number
  >;
  const modes = Object.keys(counts);
  const times = new Map<string, Times>();
  for (const mode of modes) times.set(mode, await profileTimes(join(profiles, mode)));
  const count = (mode: string) => counts[mode] as number;
  const busy = (mode: string) =>
    [...(times.get(mode) as Times).self].filter(([frame]) => !frame.startsWith('(idle)'));
  for (const mode of modes) {
    const total = busy(mode).reduce((sum, [, time]) => sum + time, 0);
    printTop(
      `${mode}: self time per handshake (µs), ${perHandshake(total, count(mode))} busy in all`,
      busy(mode),
      count(mode),
    );
  }
  // What a mode adds over another, frame by frame, per handshake of each.
  const added = (mode: string, baseline: string): [string, number][] => {
    const base = new Map(busy(baseline).map(([frame, time]) => [frame, time / count(baseline)]));
    const frames = new Set([...base.keys(), ...busy(mode).map(([frame]) => frame)]);
    const own = new Map(busy(mode).map(([frame, time]) => [frame, time / count(mode)]));
    return [...frames].map((frame) => [
      frame,
      ((own.get(frame) ?? 0) - (base.get(frame) ?? 0)) * count(mode),
    ]);
  };
  const pairs: [string, string][] = [
    ['nest', 'socket.io'],
    ...modes
      .filter((mode) => mode.startsWith('ioauth.') && !mode.includes('@'))
      .flatMap((mode): [string, string][] => [
        [mode, 'socket.io'],
        [mode, 'nest'],
      ]),
    ...modes
      .filter((mode) => counts[`${mode}@baseline`] !== undefined)
      .map((mode): [string, string] => [mode, `${mode}@baseline`]),
  ];
  for (const [mode, baseline] of pairs)
    printTop(
      `self time ${mode} adds over ${baseline} (µs per handshake)`,
      added(mode, baseline),
      count(mode),
    );
  for (const mode of modes.filter((mode) => mode !== 'socket.io')) {
    const ours = [...(times.get(mode) as Times).inclusive].filter(([frame]) =>
      / (libs|@nestjs|rxjs)\//.test(frame),
    );
    printTop(`${mode}: inclusive time of ioauth, Nest and RxJS frames (µs per handshake)`, ours, count(mode));
  }
}

/**
 * Like harness.ts `interleaved` (a warm-up round, then every mode once per run), but in a new random order each run
 * rather than a rotation, where each mode always follows the same one: measured that way, two checkouts swapped
 * between the main and the baseline places each came out cheaper in the baseline place, by 4 to 30%.
 */
async function shuffled<T>(
  modes: readonly string[],
  runs: number,
  measure: (mode: string, run: number) => Promise<T>,
): Promise<Map<string, T[]>> {
  const samples = new Map(modes.map((mode) => [mode, [] as T[]]));
  for (const mode of modes) await measure(mode, -1);
  for (let run = 0; run < runs; run += 1) {
    const order = [...modes];
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j] as string, order[i] as string];
    }
    for (const mode of order) samples.get(mode)?.push(await measure(mode, run));
  }
  return samples;
}

/** A server of the baseline tree: its own server process module, compiled against its own tsconfig paths. */
async function startBaseline(name: string, spec: ServerSpec): Promise<ServerProcess> {
  const tree = BASELINE as string;
  const { ServerProcess: Baseline } = (await import(
    join(tree, 'bench/gateway.server-process.ts')
  )) as typeof import('./gateway.server-process.js');
  const project = process.env['SWC_NODE_PROJECT'];
  // The fork inherits the environment as it is at `start`.
  process.env['SWC_NODE_PROJECT'] = join(tree, 'bench/tsconfig.json');
  try {
    return await Baseline.start(name, spec);
  } finally {
    process.env['SWC_NODE_PROJECT'] = project;
  }
}

async function main(): Promise<void> {
  const profiles = PROFILE ? await mkdtemp(join(tmpdir(), 'ioauth-handshake-profile-')) : undefined;
  if (profiles) process.env['BENCH_CPU_PROF'] = profiles;
  const keys = { HS256: await benchKey('HS256'), ES256: await benchKey('ES256') };
  const tokens = {
    HS256: await mintTokens(keys.HS256, TOKEN_POOL),
    ES256: await mintTokens(keys.ES256, TOKEN_POOL),
  };
  const ioauth = (algorithm: GatewayAlgorithm): ServerSpec => ({
    stack: 'ioauth',
    algorithm,
    key: keys[algorithm].ioauth,
    guarded: true,
    port: 0,
  });
  const specs: Record<string, ServerSpec> = {
    'socket.io': { stack: 'socket.io', algorithm: 'HS256', key: '', guarded: false, port: 0 },
    nest: { stack: 'nest', algorithm: 'HS256', key: keys.HS256.ioauth, guarded: false, port: 0 },
    'ioauth.HS256': ioauth('HS256'),
    'ioauth.ES256': ioauth('ES256'),
  };
  const servers = new Map<string, ServerProcess>();
  try {
    for (const mode of MODES) {
      const [name, tree] = mode.split('@');
      servers.set(
        mode,
        await (tree ? startBaseline : ServerProcess.start)(mode, specs[name as string] as ServerSpec),
      );
    }
    // Each handshake brings the next token of the pool, as in the gateway bench.
    let next = 0;
    const auth = (mode: string): AuthFor => {
      const pool = tokens[mode.includes('ES256') ? 'ES256' : 'HS256'];
      return () => ({ token: pool[next++ % pool.length] as string });
    };
    const handshakesOf = new Map<string, number>(MODES.map((mode) => [mode, 0]));
    const samples = await shuffled(MODES, RUNS, async (mode, run) => {
      const server = servers.get(mode) as ServerProcess;
      const before = await server.sample(0);
      const slice = run < 0 ? { sliceMs: 0, atLeast: WARM_UP } : { sliceMs: SLICE_MS };
      const { count } = await handshakes(server.url, auth(mode), slice, IN_FLIGHT);
      const after = await server.sample(0);
      handshakesOf.set(mode, (handshakesOf.get(mode) as number) + count);
      return (after.cpu - before.cpu) / count;
    });
    const perRun = (mode: string) => samples.get(mode) as number[];
    const ratio = (mode: string, baseline: string) =>
      median(perRun(mode).map((value, run) => value / (perRun(baseline)[run] as number)));
    console.log(
      `server CPU per handshake (µs), median (and lowest) of ${RUNS} runs of ${SLICE_MS} ms; ratios: median of per-run ratios (and of lowest runs):`,
    );
    // The lowest run of each mode too: load from other processes only ever adds CPU time, so on a shared machine
    // the minimum is the steadier estimate of a mode's own cost.
    const lowest = (mode: string) => Math.min(...perRun(mode));
    for (const mode of MODES) {
      const baseline = `${mode}@baseline`;
      const versus = (other: string) =>
        `${round(ratio(mode, other), 3)} (min ${round(lowest(mode) / lowest(other), 3)})`;
      console.log(
        `  ${mode.padEnd(21)} ${String(round(median(perRun(mode)), 1)).padStart(7)}` +
          ` (min ${String(round(lowest(mode), 1)).padStart(7)})  vs socket.io ${versus('socket.io')}` +
          `  vs nest ${versus('nest')}` +
          (samples.has(baseline) ? `  vs baseline ${versus(baseline)}` : ''),
      );
    }
    if (!profiles) return;
    await Promise.all([...servers.values()].map((server) => server.stop()));
    servers.clear();
    await writeFile(join(profiles, 'handshakes.json'), JSON.stringify(Object.fromEntries(handshakesOf)));
    await report(profiles);
    console.log(`\nprofiles: ${profiles}`);
  } finally {
    await Promise.all([...servers.values()].map((server) => server.kill()));
  }
}

// `--analyze <folder>`: the report of an earlier `--profile` run, without measuring again.
const analyze = args.indexOf('--analyze');
if (analyze >= 0) await report(args[analyze + 1] as string);
else await main();
