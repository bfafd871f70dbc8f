import { describe, expect, it } from 'vitest';
import { collectSensitive, isSensitiveAt, isUnknown, overlayUnknown, summariseActions, Unknown, type ModelObject } from '../../src/model';

const unknownAt = (path: readonly (string | number)[]) => new Unknown(path.join('.'), []);

describe('overlaying after_unknown onto after (plan-format.md §5.2)', () => {
  it('marks an omitted unknown attribute unknown, keeps known ones and null for unset', () => {
    const values = overlayUnknown({ enable_key_rotation: true, description: null }, { policy: true }, unknownAt) as ModelObject;
    expect(values['enable_key_rotation']).toBe(true);
    expect(values['description']).toBeNull();
    expect(isUnknown(values['policy'])).toBe(true);
    expect((values['policy'] as Unknown).attribute).toBe('policy');
  });

  it('lines up list elements with the positional mask; null placeholders become unknown', () => {
    const values = overlayUnknown(
      { statement: [{ resources: [null, 'arn:aws:kms:eu-west-1:111122223333:key/1'], actions: ['kms:Decrypt'] }] },
      { statement: [{ resources: [true, false], actions: [false] }] },
      unknownAt,
    ) as ModelObject;
    const statement = (values['statement'] as ModelObject[])[0] as ModelObject;
    const resources = statement['resources'] as unknown[];
    expect(isUnknown(resources[0])).toBe(true);
    expect(resources[1]).toBe('arn:aws:kms:eu-west-1:111122223333:key/1');
  });

  it('treats a wholly unknown block as unknown even when after has no key for it', () => {
    const values = overlayUnknown({}, { ingress: true, tags_all: {} }, unknownAt) as ModelObject;
    expect(isUnknown(values['ingress'])).toBe(true);
    expect(values['tags_all']).toEqual({});
  });
});

describe('sensitivity masks', () => {
  it('finds sensitive paths under a true mark, and the mask may be the boolean false', () => {
    expect(isSensitiveAt({ tags: { secret: true } }, ['tags', 'secret'])).toBe(true);
    expect(isSensitiveAt({ tags: { secret: true } }, ['tags', 'public'])).toBe(false);
    expect(isSensitiveAt(true, ['anything'])).toBe(true);
    expect(isSensitiveAt(false, ['policy'])).toBe(false);
  });

  it('collects every sensitive leaf as text', () => {
    const found = new Set<string>();
    collectSensitive({ password: 'hunter22', nested: [{ pin: 1234, open: 'x' }] }, { password: true, nested: [{ pin: true }] }, found);
    expect([...found].sort()).toEqual(['1234', 'hunter22']);
  });
});

describe('plan actions', () => {
  it.each([
    [['no-op'], 'no-op'],
    [['create'], 'create'],
    [['read'], 'read'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['forget'], 'forget'],
    [['create', 'forget'], 'replace'],
  ])('%j is %s', (actions, action) => {
    expect(summariseActions(actions)).toBe(action);
  });
});
