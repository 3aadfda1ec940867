// The provider registry. (Each remote provider's lazy registration is part of the remote provider contract.)
import * as assert from 'node:assert/strict';
import { ProviderRegistry } from '../../../src/providers/registry';
import { ProviderError, type ChatEvent, type ChatProvider } from '../../../src/providers/types';

function stubProvider(id: string, onDispose: () => void = () => undefined): ChatProvider {
  return {
    id,
    label: id,
    kind: 'local',
    models: async () => [],
    async *chat(): AsyncGenerator<ChatEvent> {
      yield { type: 'finish', reason: 'stop' };
    },
    dispose: onDispose,
  };
}

describe('ProviderRegistry', () => {
  it('lists registrations for a picker without creating anything', async () => {
    const registry = new ProviderRegistry();
    let created = 0;
    registry.register({ id: 'local', label: 'Local model', kind: 'local' }, () => {
      created += 1;
      return stubProvider('local');
    });
    registry.register({ id: 'remote', label: 'Remote', kind: 'remote', description: 'an API' }, () => stubProvider('remote'));
    assert.deepEqual(registry.list(), [
      { id: 'local', label: 'Local model', kind: 'local' },
      { id: 'remote', label: 'Remote', kind: 'remote', description: 'an API' },
    ]);
    assert.equal(created, 0);
    assert.equal(registry.isCreated('local'), false);
    await registry.dispose();
  });

  it('creates lazily, once, even for concurrent first calls', async () => {
    const registry = new ProviderRegistry();
    let created = 0;
    registry.register({ id: 'p', label: 'P', kind: 'local' }, async () => {
      created += 1;
      return stubProvider('p');
    });
    const [a, b] = await Promise.all([registry.get('p'), registry.get('p')]);
    assert.equal(a, b);
    assert.equal(await registry.get('p'), a);
    assert.equal(created, 1);
    await registry.dispose();
  });

  it('does not cache a failed creation', async () => {
    const registry = new ProviderRegistry();
    let attempts = 0;
    registry.register({ id: 'p', label: 'P', kind: 'local' }, () => {
      attempts += 1;
      if (attempts === 1) throw new Error('model folder missing');
      return stubProvider('p');
    });
    await assert.rejects(registry.get('p'), /model folder missing/);
    assert.equal((await registry.get('p')).id, 'p');
    await registry.dispose();
  });

  it('explains an unknown id and a duplicate registration', async () => {
    const registry = new ProviderRegistry();
    registry.register({ id: 'local', label: 'L', kind: 'local' }, () => stubProvider('local'));
    await assert.rejects(registry.get('nope'), (err: unknown) => {
      assert.ok(err instanceof ProviderError);
      assert.match(err.message, /Unknown provider 'nope' \(known: local\)/);
      assert.match(err.action ?? '', /Select Provider/);
      return true;
    });
    assert.throws(() => registry.register({ id: 'local', label: 'L2', kind: 'local' }, () => stubProvider('x')), /already registered/);
    await registry.dispose();
  });

  it('reset disposes the instance and the next get creates a new one; dispose disposes all', async () => {
    const registry = new ProviderRegistry();
    const disposed: string[] = [];
    let n = 0;
    registry.register({ id: 'p', label: 'P', kind: 'local' }, () => stubProvider(`p${++n}`, () => disposed.push(`p${n}`)));
    registry.register({ id: 'q', label: 'Q', kind: 'remote' }, () => stubProvider('q', () => disposed.push('q')));
    assert.equal((await registry.get('p')).id, 'p1');
    await registry.reset('p');
    assert.deepEqual(disposed, ['p1']);
    assert.equal((await registry.get('p')).id, 'p2');
    await registry.get('q');
    await registry.dispose();
    assert.deepEqual(disposed.sort(), ['p1', 'p2', 'q']);
    await assert.rejects(registry.get('p'), /disposed/);
  });

  it('unregisters, disposing the instance', async () => {
    const registry = new ProviderRegistry();
    let disposed = false;
    const unregister = registry.register({ id: 'p', label: 'P', kind: 'local' }, () => stubProvider('p', () => (disposed = true)));
    await registry.get('p');
    await unregister();
    assert.equal(disposed, true);
    assert.equal(registry.has('p'), false);
  });
});
