import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_NATS_URL, deleteNamespace, freePort, uniqueNamespace, waitFor } from '@mailroom/testing';
import { NpmStart, cloneHead, freePortRun, userEnvironment } from './support/fresh-clone';
import { ROOT } from './support/paths';

/**
 * What a new user does: `git clone`, `npm start`, send a first newsletter, see it in the mail
 * catcher. The clone is of the committed HEAD (uncommitted changes are not in it), has no
 * node_modules and no dist, and runs with a user's environment: npm start must install the
 * dependencies and build by itself. The npm cache is reused (npm ci --prefer-offline: no download
 * when the cache has the lock's packages); the nx build cache is not, so the build is a real one.
 * NATS is the test server (own namespace), every port a free one.
 */
jest.setTimeout(20 * 60_000);

/** npm ci (a minute from the npm cache) plus a build from scratch (1–3 minutes on 2 busy cores). */
const UP_WITHIN_MS = 15 * 60_000;
const DELIVERED_WITHIN_MS = 60_000;

interface CaughtEmail {
  readonly subject: string;
  readonly to: readonly { readonly address: string }[];
}

describe('a fresh clone: npm start delivers a first newsletter', () => {
  const namespace = uniqueNamespace('clone');
  let clone: { dir: string; commit: string } | undefined;
  let npmStart: NpmStart | undefined;

  afterAll(async () => {
    if (npmStart && !npmStart.exited) await npmStart.interrupt(30_000);
    if (clone) rmSync(clone.dir, { recursive: true, force: true });
    await deleteNamespace(namespace).catch(() => undefined);
  });

  it('installs, builds, starts, sends the newsletter to the mail catcher, and stops on Ctrl-C', async () => {
    clone = cloneHead(ROOT);
    expect(existsSync(join(clone.dir, 'node_modules'))).toBe(false);
    expect(existsSync(join(clone.dir, 'dist'))).toBe(false);

    // gateway, splitter, sender, tracker and feedback take DEV_HTTP_PORT and the next four.
    const httpPort = await freePortRun(5);
    const [grpcPort, smtpPort, webPort, bouncePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const started = Date.now();
    npmStart = new NpmStart(
      clone.dir,
      userEnvironment({
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: namespace,
        DEV_HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        MAILDEV_SMTP_PORT: String(smtpPort),
        MAILDEV_WEB_PORT: String(webPort),
        FEEDBACK_SMTP_PORT: String(bouncePort),
        npm_config_prefer_offline: 'true',
        npm_config_update_notifier: 'false',
        NX_SKIP_NX_CACHE: 'true',
      }),
    );

    // It says what it does while it does it.
    await npmStart.waitForLine(/node_modules is missing: installing from package-lock\.json \(npm ci/, 60_000);
    await npmStart.waitForLine(/Dependencies installed in/, UP_WITHIN_MS);
    const installedAt = Date.now();
    await npmStart.waitForLine(/Building the services/, 10_000);
    await npmStart.waitForLine(/Built in/, UP_WITHIN_MS);
    const builtAt = Date.now();
    const [, key] = await npmStart.waitForLine(/using a development key for this run: (\S+)/, 30_000);
    await npmStart.waitForLine(/Mailroom is up/, 120_000);
    const upAt = Date.now();

    const subject = `First newsletter ${namespace}`;
    const response = await fetch(`http://127.0.0.1:${httpPort}/v1/newsletters`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key!}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject, text: 'Hello from a fresh clone.', recipients: ['first-reader@example.org'] }),
    });
    expect(response.status).toBe(202);

    const caught = await waitFor(
      async () => ((await (await fetch(`http://127.0.0.1:${webPort}/email`)).json()) as CaughtEmail[]).filter((e) => e.subject === subject),
      (emails) => emails.length > 0,
      { timeoutMs: DELIVERED_WITHIN_MS, intervalMs: 250, description: 'the newsletter in MailDev' },
    );
    expect(caught.map((e) => e.to.map((t) => t.address))).toEqual([['first-reader@example.org']]);
    const deliveredAt = Date.now();

    const { left } = await npmStart.interrupt(30_000);
    // Every process of npm start gone within 30 s of Ctrl-C (else: which were left, then npm start's last lines).
    expect({ left, tail: left.length > 0 ? npmStart.tail(30) : '' }).toEqual({ left: [], tail: '' });

    // The next start installs nothing: the dependencies match the lock now.
    const again = spawnSync(process.execPath, ['tools/dev/prepare.js', '--no-build'], { cwd: clone.dir, encoding: 'utf8' });
    expect(again.stdout).toContain('Dependencies are up to date with package-lock.json');

    const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(0)} s`;
    console.log(
      `fresh clone of ${clone.commit.slice(0, 8)}: npm ci ${s(started, installedAt)}, build ${s(installedAt, builtAt)}, ` +
        `boot ${s(builtAt, upAt)}, first newsletter delivered ${s(upAt, deliveredAt)}; total ${s(started, deliveredAt)}`,
    );
  });
});
