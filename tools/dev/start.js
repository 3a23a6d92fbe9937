#!/usr/bin/env node
// `npm start`: the whole system on this machine. Five services from the build, a NATS server
// with JetStream if none answers (when nats-server is installed), and, when SMTP_URL is not set,
// a development mail catcher (MailDev) with a web page showing everything that was sent.
// Ports: DEV_HTTP_PORT (gateway, default 3000; splitter, sender, tracker and feedback take the next
// four), GRPC_PORT (gateway's gRPC, default 50051), FEEDBACK_SMTP_PORT (bounces in, 2525), MAILDEV_SMTP_PORT (1025) and MAILDEV_WEB_PORT (1080):
// set them to run a second copy beside another one.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync } = require('node:fs');
const net = require('node:net');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const env = { ...process.env };
const natsUrl = env.NATS_URL || 'nats://127.0.0.1:4222';
const children = [];
let maildev;
let stopping = false;

function log(message) {
  process.stdout.write(`[mailroom] ${message}\n`);
}

function answers(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitUntil(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

async function ensureNats() {
  const { hostname, port } = new URL(natsUrl.split(',')[0].replace(/^(tls|ws|wss):/, 'nats:'));
  const natsPort = Number(port || 4222);
  if (await answers(hostname, natsPort)) return log(`NATS answers at ${natsUrl}`);
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    log(`Nothing answers at ${natsUrl} and no nats-server is installed.`);
    log('Install one (Debian/Ubuntu: apt install nats-server; macOS: brew install nats-server;');
    log('or docker run -p 4222:4222 nats:2.10 -js), or set NATS_URL to a NATS server with JetStream.');
    process.exit(1);
  }
  const store = join(root, 'tmp', 'nats-data');
  mkdirSync(store, { recursive: true });
  log(`Starting ${found} -js on ${hostname}:${natsPort} (store: ${store})`);
  const child = spawn(found, ['-js', '-a', hostname, '-p', String(natsPort), '-sd', store], { stdio: 'ignore' });
  children.push({ name: 'nats-server', child });
  await waitUntil(() => answers(hostname, natsPort), 10_000, 'nats-server');
}

function portFrom(variable, fallback) {
  if (!env[variable]) return fallback;
  const port = Number(env[variable]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    log(`${variable} must be a port number (1-65535), got "${env[variable]}"`);
    process.exit(1);
  }
  return port;
}

/** Stops with the variable to change when a port this run needs is taken (clearer than a service's EADDRINUSE). */
async function ensurePortsFree(ports) {
  for (const [variable, port] of ports) {
    if (await answers('127.0.0.1', port)) {
      log(`Port ${port} is in use (${variable}): stop what listens there or set ${variable} to another port.`);
      process.exit(1);
    }
  }
}

async function ensureSmtp() {
  if (env.SMTP_PROVIDERS) return log('Sending through SMTP_PROVIDERS (credentials not shown)');
  if (env.SMTP_URL) return log('Sending through SMTP_URL (credentials not shown)');
  const MailDev = require('maildev');
  const smtpPort = portFrom('MAILDEV_SMTP_PORT', 1025);
  const webPort = portFrom('MAILDEV_WEB_PORT', 1080);
  maildev = new MailDev({ smtp: smtpPort, web: webPort, ip: '127.0.0.1', silent: true, disableWeb: false });
  await new Promise((resolve, reject) => maildev.listen((error) => (error ? reject(error) : resolve())));
  env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  env.MAILDEV_WEB_URL = `http://localhost:${webPort}`;
}

function startService(name, port) {
  const main = join(root, 'dist', 'services', name, 'main.js');
  if (!existsSync(main)) {
    log(`${main} is missing: run npm run build`);
    process.exit(1);
  }
  const child = spawn(process.execPath, [main], {
    env: { ...env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const relay = (stream) => (chunk) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      let text = line;
      try {
        const entry = JSON.parse(line);
        text = `${entry.level >= 50 ? 'ERROR ' : entry.level >= 40 ? 'WARN ' : ''}${entry.msg ?? ''}`;
      } catch {
        // not JSON: print as is
      }
      stream.write(`[${name}] ${text}\n`);
    }
  };
  child.stdout.on('data', relay(process.stdout));
  child.stderr.on('data', relay(process.stderr));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ name, child, port });
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const services = children.filter((c) => c.name !== 'nats-server');
  for (const { child } of services) child.kill('SIGTERM');
  await Promise.all(services.map(({ child }) => new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))));
  if (maildev) await new Promise((r) => maildev.close(r));
  for (const { name, child } of children) if (name === 'nats-server') child.kill('SIGTERM');
  process.exit(code);
}

async function main() {
  env.NATS_URL = natsUrl;
  env.MAILROOM_NAMESPACE = env.MAILROOM_NAMESPACE || 'mailroom';
  if (!env.API_KEYS) {
    const key = `dev-${randomBytes(12).toString('hex')}`;
    env.API_KEYS = `dev:${key}`;
    log(`API_KEYS not set: using a development key for this run: ${key}`);
  }
  const base = portFrom('DEV_HTTP_PORT', 3000);
  const ports = { gateway: base, splitter: base + 1, sender: base + 2, tracker: base + 3, feedback: base + 4 };
  const grpcPort = portFrom('GRPC_PORT', 50051);
  const feedbackSmtpPort = portFrom('FEEDBACK_SMTP_PORT', 2525);
  env.FEEDBACK_SMTP_PORT = String(feedbackSmtpPort);
  await ensurePortsFree([
    ...Object.values(ports).map((port) => ['DEV_HTTP_PORT', port]),
    ['GRPC_PORT', grpcPort],
    ['FEEDBACK_SMTP_PORT', feedbackSmtpPort],
    ...(env.SMTP_URL || env.SMTP_PROVIDERS
      ? []
      : [
          ['MAILDEV_SMTP_PORT', portFrom('MAILDEV_SMTP_PORT', 1025)],
          ['MAILDEV_WEB_PORT', portFrom('MAILDEV_WEB_PORT', 1080)],
        ]),
  ]);
  await ensureNats();
  await ensureSmtp();
  for (const [name, port] of Object.entries(ports)) startService(name, port);
  await waitUntil(
    async () => {
      const states = await Promise.all(
        Object.values(ports).map((p) => fetch(`http://127.0.0.1:${p}/health/ready`).then((r) => r.ok, () => false)),
      );
      return states.every(Boolean);
    },
    60_000,
    'the services',
  );
  log('Mailroom is up:');
  log(`  API          http://localhost:${ports.gateway}/v1/newsletters  (gRPC on port ${grpcPort})`);
  if (env.MAILDEV_WEB_URL) log(`  Mail catcher ${env.MAILDEV_WEB_URL}  (every email sent shows up here)`);
  log(`  Metrics      http://localhost:${ports.tracker}/metrics (tracker; each service serves its own)`);
  log(`  Bounces in   smtp://localhost:${feedbackSmtpPort} (feedback: DSNs and complaints for @${env.BOUNCE_DOMAIN || 'bounces.localhost'})`);
  log('Ctrl-C stops everything.');
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((error) => {
  log(error.message);
  void stop(1);
});
