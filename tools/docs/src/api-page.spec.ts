import { readFileSync } from 'node:fs';
import { fromRoot } from './repository';

/**
 * docs/api.md against the gRPC contract: every method of `mailroom.v1.Newsletters` is described.
 * (Its HTTP routes are checked against the routes a running gateway maps, in
 * services/gateway/test/openapi-examples.system-spec.ts.)
 */
describe('docs/api.md', () => {
  const page = readFileSync(fromRoot('docs', 'api.md'), 'utf8');
  const proto = readFileSync(fromRoot('libs', 'contracts', 'proto', 'mailroom', 'v1', 'newsletters.proto'), 'utf8');
  const methods = [...proto.matchAll(/^\s*rpc (\w+)\(/gm)].map((m) => m[1]!);

  it('describes every gRPC method of the contract', () => {
    expect(methods.length).toBeGreaterThanOrEqual(8);
    expect(methods.filter((method) => !page.includes(`\`${method}\``))).toEqual([]);
  });
});
