// `npm run bench`: how fast and how lean `kmsgate check` is against the floor of any DOM-based tool,
// read + JSON.parse of the same file, on generated plans of realistic shape (generate.mjs).
//
// Every figure comes from a child process of its own (its peak RSS is its own); the check and the
// floor run in pairs, in alternating order, and the ratio is the median of the pairs' ratios, so a
// machine that speeds up or slows down during the run does not move it. A pair where either side
// took more than twice its median is a stall of the host: it is discarded and run again once.
// See docs/performance.md for what is measured and the targets.
//
//   npm run bench                      1, 10 and 100 MB plans
//   BENCH_LARGE=1 npm run bench        also 500 MB and 650 MB (beyond V8's string limit)
//   BENCH_SIZES=100,500 npm run bench  these sizes (MB, 10^6 bytes)
//   npm run bench -- --check           exit 1 when a target is missed
//
// Other settings: BENCH_SEED (1), BENCH_PAIRS (pairs per size), BENCH_DIR (where plans are
// written and kept for the next run; default the system's temporary folder), BENCH_CLEAN=1 (delete
// them afterwards), BENCH_JQ=0 (skip jq), BENCH_NO_BUILD=1 (measure the bundle as it is).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:buffer';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { build } from 'esbuild';
import { nodeBundle } from '../scripts/esbuild-node.mjs';
import { GENERATOR_VERSION, generatePlan, unitsFor } from './generate.mjs';
import { Rng, estateOf, keyPolicyDocument, policyText } from './estate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const BUNDLES = join(ROOT, 'build', 'bench');
const RUSAGE = join(BENCH, 'rusage.cjs');
const MB = 1e6;
const MiB = 2 ** 20;

export const TARGETS = {
  timeRatio: { max: 0.8, sizes: [100, 500], text: 'check ÷ floor (read + JSON.parse), median of pairs' },
  rssRatio: { max: 1.5, sizes: [100, 500], text: 'peak RSS of the check ÷ file size' },
  huge: { overMB: 600, text: 'a plan over 600 MB (beyond the V8 string limit) checked without error' },
  linear: { max: 1.15, text: 'growth exponent of the check time from 100 MB to the largest plan (1 = linear)' },
  startup: { maxMs: 300, text: '`kmsgate rules` wall time, median' },
  iam: { maxMs: 2000, keys: 10_000, text: 'keyPolicyFacts for 10,000 keys, parsing included, median' },
};

const env = process.env;
const CHECK_MODE = process.argv.includes('--check');
const SIZES = (env.BENCH_SIZES ?? (env.BENCH_LARGE === '1' ? '1,10,100,500,650' : '1,10,100')).split(',').map(Number).filter((n) => n > 0);
const SEED = Number(env.BENCH_SEED ?? 1);
const DIR = env.BENCH_DIR ?? join(tmpdir(), 'kmsgate-bench');
const RUN_JQ = env.BENCH_JQ !== '0' && spawnSync('jq', ['--version']).status === 0;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function pairsFor(mb) {
  if (env.BENCH_PAIRS) return Number(env.BENCH_PAIRS);
  return mb <= 10 ? 7 : mb <= 100 ? 3 : 2;
}

// Children ------------------------------------------------------------------------------------------

let rusageFiles = 0;

/**
 * Runs `command args` to its end: wall time measured here, peak RSS and CPU time reported by the
 * child itself (node children, through rusage.cjs) or by /usr/bin/time (jq).
 */
function run(command, args, { cwd = ROOT, node = true } = {}) {
  const rusage = join(DIR, `rusage-${process.pid}-${rusageFiles++}.jsonl`);
  let file = command;
  let argv = args;
  if (node) {
    file = process.execPath;
    argv = ['--require', RUSAGE, ...args];
  } else if (TIME !== undefined) {
    file = TIME;
    argv = ['-f', '{"maxRssKiB":%M,"userMs":%U,"systemMs":%S}', '-o', rusage, command, ...args];
  }
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, argv, { cwd, env: { ...env, KMSGATE_BENCH_RUSAGE: rusage, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - start;
      let usage = {};
      if (existsSync(rusage)) {
        const lines = readFileSync(rusage, 'utf8').trim().split('\n');
        try {
          usage = JSON.parse(lines[lines.length - 1]);
          if (!node) usage = { ...usage, userMs: usage.userMs * 1000, systemMs: usage.systemMs * 1000 };
        } catch {
          usage = {};
        }
        rmSync(rusage);
      }
      resolve({
        wallMs,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        rssMiB: usage.maxRssKiB === undefined ? undefined : usage.maxRssKiB / 1024,
        cpuMs: usage.userMs === undefined ? undefined : usage.userMs + usage.systemMs,
      });
    });
  });
}

function jsonLine(result, what) {
  const line = result.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${what}: no result (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

// Preparation ---------------------------------------------------------------------------------------

async function bundle() {
  if (env.BENCH_NO_BUILD !== '1') {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  for (const name of ['probe', 'iam-keys']) {
    await build({ entryPoints: [join(BENCH, `${name}.ts`)], outfile: join(BUNDLES, `${name}.mjs`), ...nodeBundle });
  }
}

function label(mb) {
  return `${mb} MB`;
}

/** The plan of `mb` megabytes for this seed, generated once and kept with its manifest. */
function fixture(mb) {
  const name = `plan-g${GENERATOR_VERSION}-s${SEED}-${mb}mb`;
  const path = join(DIR, `${name}.json`);
  const manifestPath = join(DIR, `${name}.manifest.json`);
  if (existsSync(path) && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (statSync(path).size === manifest.bytes) return { path, manifest, generatedMs: 0 };
  }
  const start = performance.now();
  const manifest = generatePlan({ path, seed: SEED, units: unitsFor(mb * MB, SEED) });
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { path, manifest, generatedMs: performance.now() - start };
}

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
const SERVICES = ['payments', 'ledger', 'orders', 'billing', 'search', 'identity', 'catalog', 'shipping', 'reporting', 'analytics'];
/** Actions an auditor role may be given, 14 of them: a key's subset of them is a number below 2^14. */
const AUDIT_ACTIONS = ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:GetPublicKey', 'kms:Verify', 'kms:Sign', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:ListRetirableGrants', 'kms:GetParametersForImport', 'kms:DeriveSharedSecret'];

/**
 * 10,000 keys' policies from the same estate generator, with the context each key is analysed in.
 * `distinct`: the worst case for the IAM stage's shape cache, every key a shape of its own: keys spread
 * over 200 accounts, none with the platform template, each with an auditor statement whose actions are
 * the key's own subset of AUDIT_ACTIONS. (The realistic mix has about 340 shapes among 7,000 texts.)
 */
function iamKeys(count, distinct) {
  if (distinct && count >= 2 ** AUDIT_ACTIONS.length) throw new Error(`at most ${2 ** AUDIT_ACTIONS.length - 1} keys of distinct shapes`);
  const path = join(DIR, `iam${distinct ? '-distinct' : ''}-g${GENERATOR_VERSION}-s${SEED}-${count}.json`);
  if (existsSync(path)) return path;
  const estate = estateOf(SEED);
  const accounts = distinct ? Array.from({ length: 200 }, (_, i) => String(100_000_000_000 + i * 7_919_357)) : estate.accounts.slice(1);
  const generated = distinct ? { ...estate, templateAccounts: new Set() } : estate;
  const keys = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(SEED, i, 0x1a3);
    const account = accounts[i % accounts.length];
    const region = REGIONS[i % REGIONS.length];
    const service = `${rng.pick(SERVICES)}-${i % 97}`;
    const vpce = rng.chance(0.5) ? `vpce-${rng.hex(17)}` : undefined;
    const document = keyPolicyDocument(generated, rng, { account, region, service, vpce });
    if (distinct) {
      const Action = AUDIT_ACTIONS.filter((_, bit) => ((i + 1) >> bit) & 1);
      document.Statement.push({ Sid: 'Auditors', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/${service}-auditor` }, Action, Resource: '*' });
    }
    keys.push({
      policy: policyText(document, rng.pick(['jsonencode', 'document', 'aws'])),
      keyArn: `arn:aws:kms:${region}:${account}:key/${rng.uuid()}`,
      keyAccount: account,
      keyUsage: 'ENCRYPT_DECRYPT',
      organizationId: estate.organizationId,
    });
  }
  writeFileSync(path, JSON.stringify(keys));
  return path;
}

// Measurements --------------------------------------------------------------------------------------

const checkArgs = (plan) => [join(ROOT, 'bin', 'kmsgate.mjs'), 'check', plan, '--format', 'sarif=check.sarif'];

/** Pairs of floor and check runs, in alternating order; stalled pairs are run again once. */
async function pairs(planPath, count) {
  const cwd = DIR;
  const plan = planPath.slice(DIR.length + 1);
  const one = async (flip) => {
    const floor = () => run('node', [join(BENCH, 'floor.mjs'), plan], { cwd });
    const check = () => run('node', checkArgs(plan), { cwd });
    if (flip) {
      const c = await check();
      return { check: c, floor: await floor() };
    }
    const f = await floor();
    return { floor: f, check: await check() };
  };
  const done = [];
  for (let i = 0; i < count; i++) done.push(await one(i % 2 === 1));
  const floorOk = done.every((p) => p.floor.code === 0);
  const stalled = (list) => {
    if (list.length < 3) return [];
    const floorMedian = median(list.map((p) => p.floor.wallMs));
    const checkMedian = median(list.map((p) => p.check.wallMs));
    return list.filter((p) => (floorOk && p.floor.wallMs > 2 * floorMedian) || p.check.wallMs > 2 * checkMedian);
  };
  const discarded = stalled(done);
  for (const pair of discarded) {
    done.splice(done.indexOf(pair), 1);
    done.push(await one(done.length % 2 === 1));
  }
  return { list: done, discarded: discarded.length };
}

/** The first run's counts and findings, each stage's and each policy's fastest time over the runs. */
function fastest(lines) {
  const [first, ...rest] = lines;
  const phases = { ...first.phases };
  const rules = structuredClone(first.rules);
  for (const line of rest) {
    for (const [phase, ms] of Object.entries(line.phases)) phases[phase] = Math.min(phases[phase] ?? Infinity, ms);
    for (const [id, rule] of Object.entries(line.rules)) if (rules[id]) rules[id].ms = Math.min(rules[id].ms, rule.ms);
  }
  return { ...first, phases, rules, heapPeakMiB: Math.max(...lines.map((l) => l.heapPeakMiB)) };
}

function sarifGuard(sarifPath, manifest, probe) {
  const problems = [];
  if (!existsSync(sarifPath)) return ['the check wrote no SARIF'];
  const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
  const results = sarif.runs?.[0]?.results ?? [];
  const byRule = {};
  const addresses = (rule) =>
    results
      .filter((r) => r.ruleId === rule && r.properties?.status === 'fail')
      .map((r) => r.properties?.address)
      .sort();
  for (const result of results) byRule[result.ruleId] = (byRule[result.ruleId] ?? 0) + 1;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(addresses('key-rotation-enabled'), [...manifest.rotationOff].sort())) problems.push(`key-rotation-enabled reported ${addresses('key-rotation-enabled').length} keys, the plan has ${manifest.rotationOff.length} without rotation`);
  if (!same(addresses('key-destroyed'), [...manifest.destroyedKeys].sort())) problems.push(`key-destroyed reported ${addresses('key-destroyed').length} keys, the plan destroys ${manifest.destroyedKeys.length}`);
  if (probe !== undefined) {
    const rules = new Set([...Object.keys(byRule), ...Object.keys(probe.findings)]);
    for (const rule of rules) if ((byRule[rule] ?? 0) !== (probe.findings[rule] ?? 0)) problems.push(`${rule}: ${byRule[rule] ?? 0} SARIF results, ${probe.findings[rule] ?? 0} findings in the stage-by-stage run`);
  }
  return problems;
}

/** The model against the manifest; the plain extraction (JSON.parse, else jq) against it and against jq. */
function countsGuard(manifest, probe, extracted, jqCounts) {
  const problems = [];
  const expect = (what, got, want) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  if (probe !== undefined) {
    for (const [type, count] of Object.entries(manifest.types)) expect(`model ${type}`, probe.counts.types[type], count);
    expect('model KMS endpoints', probe.counts.kmsEndpoints, manifest.kmsEndpoints);
    expect('key policies linked to their key', probe.counts.linked.keyPolicies, manifest.types.aws_kms_key_policy);
    expect('aliases linked to their key', probe.counts.linked.aliases, manifest.types.aws_kms_alias);
    expect('grants linked to their key', probe.counts.linked.grants, manifest.types.aws_kms_grant);
    expect('KMS endpoints linked to security groups', probe.counts.linked.kmsEndpointSecurityGroups, manifest.kmsEndpoints);
    expect('SCP attachments linked to their SCP', probe.counts.linked.scpAttachments, manifest.types.aws_organizations_policy_attachment);
  }
  if (extracted !== undefined) {
    expect('extraction: keys', extracted.keys, manifest.types.aws_kms_key);
    expect('extraction: key policies', extracted.keyPolicies, manifest.types.aws_kms_key_policy);
    expect('extraction: KMS endpoints', extracted.kmsEndpoints, manifest.kmsEndpoints);
    expect('extraction: SCPs', extracted.scps, manifest.types.aws_organizations_policy);
    if (jqCounts !== undefined) for (const [name, count] of Object.entries(extracted)) expect(`jq: ${name}`, jqCounts[name], count);
  }
  return problems;
}

async function measureSize(mb) {
  const { path, manifest, generatedMs } = fixture(mb);
  const bytes = manifest.bytes;
  process.stderr.write(`· ${label(mb)}: ${(bytes / MB).toFixed(1)} MB, ${manifest.resources} resources${generatedMs ? `, generated in ${(generatedMs / 1000).toFixed(1)} s` : ''}\n`);
  const overLimit = bytes > constants.MAX_STRING_LENGTH;
  rmSync(join(DIR, 'check.sarif'), { force: true });
  const measured = await pairs(path, overLimit ? 1 : pairsFor(mb));
  const list = measured.list;
  const floorRuns = list.map((p) => p.floor).filter((r) => r.code === 0);
  const floorLines = floorRuns.map((r) => jsonLine(r, 'floor'));
  const floorResult = floorLines.length > 0 ? { readMs: median(floorLines.map((l) => l.readMs)), parseMs: median(floorLines.map((l) => l.parseMs)) } : jsonLine(list[0].floor, 'floor');
  if (overLimit && list.length < 2) list.push({ check: await run('node', checkArgs(path.slice(DIR.length + 1)), { cwd: DIR }) });
  const checks = list.map((p) => p.check);
  const failedCheck = checks.find((r) => r.code !== 0 && r.code !== 1);
  const ratios = list.filter((p) => p.floor?.code === 0).map((p) => p.check.wallMs / p.floor.wallMs);
  const cpuRatios = list.filter((p) => p.floor?.code === 0 && p.floor.cpuMs && p.check.cpuMs).map((p) => p.check.cpuMs / p.floor.cpuMs);
  process.stderr.write(`  pairs done (${list.length}${measured.discarded ? `, ${measured.discarded} stalled and rerun` : ''}); stage-by-stage run…\n`);
  const counted = overLimit ? undefined : jsonLine(await run('node', [join(BENCH, 'floor.mjs'), '--count', path]), 'floor --count');
  // Stage times come from single runs in one process: the fastest of a few is the least disturbed.
  const probeRuns = [];
  for (let i = 0; i < (mb <= 100 ? 3 : 2); i++) {
    const report = mb <= 100 && i === 0 ? ['--report'] : [];
    probeRuns.push(await run('node', ['--expose-gc', join(BUNDLES, 'probe.mjs'), ...report, path]));
  }
  const probeRun = probeRuns.find((r) => r.code !== 0) ?? probeRuns[0];
  const probe = probeRun.code === 0 ? fastest(probeRuns.map((r) => jsonLine(r, 'probe'))) : undefined;
  let jq;
  if (RUN_JQ && (mb <= 100 || env.BENCH_JQ === 'all' || env.BENCH_LARGE === '1')) {
    process.stderr.write('  jq…\n');
    const result = await run('jq', ['-c', '-f', join(BENCH, 'extract.jq'), path], { node: false });
    jq = { wallMs: result.wallMs, rssMiB: result.rssMiB, code: result.code, counts: result.code === 0 ? jsonLine(result, 'jq') : undefined };
  }
  const problems = [
    ...(failedCheck ? [`check exited ${failedCheck.code}: ${failedCheck.stderr.trim().split('\n').slice(-2).join(' | ')}`] : []),
    ...(probe === undefined ? [`stage-by-stage run failed: ${probeRun.stderr.trim().split('\n').slice(-2).join(' | ')}`] : []),
    ...(probe?.error ? [`the report failed after the stages: ${probe.error}`] : []),
    ...(failedCheck ? [] : sarifGuard(join(DIR, 'check.sarif'), manifest, probe?.error ? undefined : probe)),
    ...countsGuard(manifest, probe, counted?.counts ?? jq?.counts, counted === undefined ? undefined : jq?.counts),
  ];
  const checkRss = Math.max(...checks.map((r) => r.rssMiB ?? 0));
  return {
    mb,
    bytes,
    resources: manifest.resources,
    changes: manifest.changes,
    units: manifest.units,
    floor: floorRuns.length > 0
      ? { wallMs: median(floorRuns.map((r) => r.wallMs)), cpuMs: median(floorRuns.map((r) => r.cpuMs)), rssMiB: Math.max(...floorRuns.map((r) => r.rssMiB ?? 0)), readMs: floorResult.readMs, parseMs: floorResult.parseMs }
      : { error: floorResult.error ?? 'failed' },
    check: { wallMs: median(checks.map((r) => r.wallMs)), cpuMs: median(checks.map((r) => r.cpuMs)), rssMiB: checkRss, exitCodes: [...new Set(checks.map((r) => r.code))] },
    ratio: ratios.length > 0 ? { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), cpuMedian: median(cpuRatios), pairs: ratios.length, stalled: measured.discarded } : undefined,
    rssPerFileByte: (checkRss * MiB) / bytes,
    jq: jq && { wallMs: jq.wallMs, rssMiB: jq.rssMiB, ratio: floorRuns.length > 0 ? jq.wallMs / median(floorRuns.map((r) => r.wallMs)) : undefined, exitCode: jq.code },
    probe: probe && { phases: probe.phases, rules: probe.rules, counts: probe.counts, heapPeakMiB: probe.heapPeakMiB, heapAfterMiB: probe.heapAfterMiB, maxRssMiB: probe.maxRssMiB, sarifBytes: probe.sarifBytes },
    counts: counted?.counts ?? jq?.counts,
    guard: { ok: problems.length === 0, problems },
  };
}

async function measureStartup() {
  const runs = [];
  for (let i = 0; i < 10; i++) {
    const floor = await run('node', ['-e', '0']);
    const rules = await run('node', [join(ROOT, 'bin', 'kmsgate.mjs'), 'rules']);
    if (rules.code !== 0) throw new Error(`kmsgate rules exited ${rules.code}: ${rules.stderr}`);
    runs.push({ floor: floor.wallMs, rules: rules.wallMs, rss: rules.rssMiB });
  }
  return { wallMs: median(runs.map((r) => r.rules)), nodeMs: median(runs.map((r) => r.floor)), ratio: median(runs.map((r) => r.rules / r.floor)), rssMiB: median(runs.map((r) => r.rss)) };
}

/** Three runs of each estate, medians: the realistic mix (the target) and the all-distinct worst case. */
async function measureIam() {
  const one = async (distinct) => {
    const path = iamKeys(TARGETS.iam.keys, distinct);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(jsonLine(await run('node', [join(BUNDLES, 'iam-keys.mjs'), path]), 'iam-keys'));
    return { keys: runs[0].keys, ms: median(runs.map((r) => r.ms)), min: Math.min(...runs.map((r) => r.ms)), max: Math.max(...runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMiB: median(runs.map((r) => r.maxRssMiB)), principals: runs[0].principals, undecidable: runs[0].undecidable };
  };
  const realistic = await one(false);
  return { ...realistic, distinct: await one(true) };
}

// Verdicts and output -------------------------------------------------------------------------------

function exponent(a, b) {
  return Math.log(b.check.wallMs / a.check.wallMs) / Math.log(b.bytes / a.bytes);
}

function verdicts(sizes, startup, iam) {
  const out = [];
  const at = (mb) => sizes.find((s) => s.mb === mb);
  for (const mb of TARGETS.timeRatio.sizes) {
    const size = at(mb);
    if (size?.ratio) out.push({ target: `time at ${label(mb)}`, limit: `≤ ${TARGETS.timeRatio.max}`, value: size.ratio.median, met: size.ratio.median <= TARGETS.timeRatio.max });
  }
  for (const mb of TARGETS.rssRatio.sizes) {
    const size = at(mb);
    if (size) out.push({ target: `peak RSS at ${label(mb)}`, limit: `≤ ${TARGETS.rssRatio.max} × file`, value: size.rssPerFileByte, met: size.rssPerFileByte <= TARGETS.rssRatio.max });
  }
  const huge = sizes.filter((s) => s.bytes > TARGETS.huge.overMB * MB);
  for (const size of huge) {
    const ok = size.check.exitCodes.every((code) => code === 0 || code === 1) && size.guard.ok;
    out.push({ target: `${label(size.mb)} checked (over ${TARGETS.huge.overMB} MB)`, limit: 'no error, same counts', value: ok ? 1 : 0, met: ok, text: `exit ${size.check.exitCodes.join('/')}, ${(size.check.wallMs / 1000).toFixed(1)} s, ${size.check.rssMiB.toFixed(0)} MiB` });
  }
  const large = sizes.filter((s) => s.mb >= 100).sort((a, b) => a.bytes - b.bytes);
  if (large.length >= 2) {
    const value = exponent(large[0], large[large.length - 1]);
    out.push({ target: `linear growth ${label(large[0].mb)} → ${label(large[large.length - 1].mb)}`, limit: `exponent ≤ ${TARGETS.linear.max}`, value, met: value <= TARGETS.linear.max });
  }
  if (startup) out.push({ target: 'start-up (`kmsgate rules`)', limit: `< ${TARGETS.startup.maxMs} ms`, value: startup.wallMs, met: startup.wallMs < TARGETS.startup.maxMs });
  if (iam) out.push({ target: `IAM analysis of ${iam.keys} keys`, limit: `< ${TARGETS.iam.maxMs} ms`, value: iam.ms, met: iam.ms < TARGETS.iam.maxMs });
  for (const size of sizes) if (!size.guard.ok) out.push({ target: `correctness at ${label(size.mb)}`, limit: 'counts equal', value: 0, met: false, text: size.guard.problems.slice(0, 3).join('; ') });
  return out;
}

const fmt = {
  s: (ms) => (ms === undefined || Number.isNaN(ms) ? '–' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`),
  mib: (m) => (m === undefined ? '–' : `${m.toFixed(0)} MiB`),
  x: (r, digits = 2) => (r === undefined || Number.isNaN(r) ? '–' : r.toFixed(digits)),
};

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function report(results) {
  const { environment: e, sizes, startup, iam, targets } = results;
  const lines = [];
  lines.push(`kmsgate bench · ${results.date} · node ${e.node} (V8 ${e.v8}) · ${e.cpu} ×${e.cores} · ${(e.memoryMiB / 1024).toFixed(1)} GiB · heap limit ${e.heapLimitMiB.toFixed(0)} MiB · max string ${e.maxStringLength} B · load ${e.loadBefore} → ${e.loadAfter}`);
  lines.push(`plans: generator v${GENERATOR_VERSION}, seed ${SEED}; floor = read + JSON.parse of the same file in its own process; check = \`kmsgate check PLAN --format sarif=FILE\` (built-in policies, bundle)`);
  lines.push('');
  lines.push(
    table([
      ['plan', 'bytes', 'resources', 'floor', 'check', 'check÷floor (min–max)', 'cpu ratio', 'pairs', 'RSS floor', 'RSS check', 'RSS÷file', 'jq (÷floor)', 'jq RSS', 'guard'],
      ...sizes.map((s) => [
        label(s.mb),
        `${(s.bytes / MB).toFixed(1)} MB`,
        s.resources,
        s.floor.error ? s.floor.error : fmt.s(s.floor.wallMs),
        fmt.s(s.check.wallMs),
        s.ratio ? `${fmt.x(s.ratio.median)} (${fmt.x(s.ratio.min)}–${fmt.x(s.ratio.max)})` : 'n/a (floor fails)',
        s.ratio ? fmt.x(s.ratio.cpuMedian) : '–',
        s.ratio ? `${s.ratio.pairs}${s.ratio.stalled ? ` (${s.ratio.stalled} rerun)` : ''}` : '–',
        fmt.mib(s.floor.rssMiB),
        fmt.mib(s.check.rssMiB),
        fmt.x(s.rssPerFileByte),
        s.jq ? `${fmt.s(s.jq.wallMs)} (${fmt.x(s.jq.ratio)})` : '–',
        s.jq ? fmt.mib(s.jq.rssMiB) : '–',
        s.guard.ok ? 'ok' : 'FAIL',
      ]),
    ]),
  );
  lines.push('');
  lines.push('stages of the check in one process, fastest of 2–3 runs (ms; per MB in brackets; sarif timed up to 100 MB):');
  const phaseNames = ['load', 'model', 'relate', 'recover', 'facts', 'evaluate', 'sarif'];
  lines.push(
    table([
      ['plan', ...phaseNames, 'floor read', 'floor parse', 'heap peak'],
      ...sizes
        .filter((s) => s.probe)
        .map((s) => [
          label(s.mb),
          ...phaseNames.map((p) => (s.probe.phases[p] === undefined ? '–' : `${s.probe.phases[p].toFixed(0)} (${(s.probe.phases[p] / (s.bytes / MB)).toFixed(1)})`)),
          s.floor.readMs ? s.floor.readMs.toFixed(0) : '–',
          s.floor.parseMs ? s.floor.parseMs.toFixed(0) : '–',
          fmt.mib(s.probe.heapPeakMiB),
        ]),
    ]),
  );
  const largest = [...sizes].reverse().find((s) => s.probe);
  if (largest) {
    const rules = Object.entries(largest.probe.rules).sort((a, b) => b[1].ms - a[1].ms).slice(0, 5);
    const heap = largest.probe.heapAfterMiB ?? {};
    if (Object.keys(heap).length > 0) lines.push(`heap live after each stage at ${label(largest.mb)} (MiB, after a full GC): ${Object.entries(heap).map(([stage, mib]) => `${stage} ${mib.toFixed(0)}`).join(' · ')}`);
    lines.push(`costliest policies at ${label(largest.mb)}: ${rules.map(([id, r]) => `${id} ${r.ms.toFixed(0)} ms`).join(' · ')}`);
    const c = largest.probe.counts;
    lines.push(`what the check saw at ${label(largest.mb)}: ${c.types.aws_kms_key} keys · ${c.types.aws_kms_key_policy} key policies · ${c.types.aws_kms_alias} aliases · ${c.types.aws_kms_grant} grants · ${c.kmsEndpoints} KMS endpoints · ${c.types.aws_organizations_policy} SCPs · ${c.types.aws_organizations_policy_attachment} attachments · ${c.types.aws_iam_policy_document} policy documents (${largest.counts ? `${largest.counts.documents} documents, ${largest.counts.statements} statements in the floor's extraction` : ''})`);
  }
  for (const size of sizes) if (!size.guard.ok) lines.push(`guard at ${label(size.mb)}: ${size.guard.problems.join('; ')}`);
  if (startup) lines.push(`start-up: \`kmsgate rules\` ${fmt.s(startup.wallMs)} (node -e 0: ${fmt.s(startup.nodeMs)}; ${fmt.x(startup.ratio, 1)}×), ${fmt.mib(startup.rssMiB)}`);
  if (iam) {
    const line = (m) => `${fmt.s(m.ms)} (${fmt.s(m.min)}–${fmt.s(m.max)}, ${((m.ms * 1000) / m.keys).toFixed(0)} µs per key; CPU ${fmt.s(m.cpuMs)}), ${fmt.mib(m.rssMiB)}`;
    lines.push(`IAM analysis: keyPolicyFacts for ${iam.keys} keys ${line(iam)}; every key a shape of its own (worst case) ${line(iam.distinct)}`);
  }
  lines.push('');
  lines.push('targets:');
  for (const t of targets) lines.push(`  ${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${t.text ?? (t.value >= 100 ? fmt.s(t.value) : fmt.x(t.value))} (target ${t.limit})`);
  return lines.join('\n');
}

async function main() {
  mkdirSync(DIR, { recursive: true });
  mkdirSync(BUNDLES, { recursive: true });
  const loadBefore = loadavg()[0].toFixed(1);
  await bundle();
  const sizes = [];
  for (const mb of SIZES) sizes.push(await measureSize(mb));
  process.stderr.write('· start-up and IAM analysis…\n');
  const startup = await measureStartup();
  const iam = await measureIam();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const results = {
    date,
    environment: {
      node: process.version,
      v8: process.versions.v8,
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      memoryMiB: totalmem() / MiB,
      freeMiB: freemem() / MiB,
      heapLimitMiB: getHeapStatistics().heap_size_limit / MiB,
      maxStringLength: constants.MAX_STRING_LENGTH,
      jq: RUN_JQ ? spawnSync('jq', ['--version']).stdout.toString().trim() : null,
      loadBefore,
      loadAfter: loadavg()[0].toFixed(1),
    },
    generator: GENERATOR_VERSION,
    seed: SEED,
    sizes,
    startup,
    iam,
    targets: [],
  };
  results.targets = verdicts(sizes, startup, iam);
  writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${report(results)}\nresults written to bench/results.json\n`);
  if (env.BENCH_CLEAN === '1') rmSync(DIR, { recursive: true, force: true });
  if (CHECK_MODE && results.targets.some((t) => !t.met)) process.exitCode = 1;
}

await main();
