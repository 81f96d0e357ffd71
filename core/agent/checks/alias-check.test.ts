import { describe, expect, it } from 'vitest';
import { aliasVerdict } from './alias-check.ts';

const check = (CheckID: string, ServiceID: string, Status: 'passing' | 'warning' | 'critical', Node = 'n1') => ({ Node, CheckID, Name: CheckID, ServiceID, Status, Output: `${CheckID} says ${Status}` });
const alias = { node: 'n1', serviceID: 'web', selfCheckID: 'alias' };

describe('aliasVerdict (checks/alias.go processChecks)', () => {
  it('passes with no checks when the service exists, and says so', () => {
    expect(aliasVerdict(alias, [], true)).toEqual({ status: 'passing', output: 'No checks found.' });
  });

  it('is critical when the aliased service does not exist', () => {
    expect(aliasVerdict(alias, [], false)).toEqual({ status: 'critical', output: 'Service web could not be found on node n1' });
  });

  it('takes the worst of the service checks and the node checks; other services do not count', () => {
    expect(aliasVerdict(alias, [check('a', 'web', 'passing'), check('other', 'db', 'critical')], true)).toEqual({ status: 'passing', output: 'All checks passing.' });
    expect(aliasVerdict(alias, [check('a', 'web', 'warning'), check('b', 'web', 'passing')], true)).toEqual({ status: 'warning', output: 'Aliased check "a" failing: a says warning' });
    expect(aliasVerdict(alias, [check('a', 'web', 'warning'), check('serfHealth', '', 'critical')], true).status).toBe('critical');
  });

  it('ignores checks of other nodes and its own check', () => {
    expect(aliasVerdict(alias, [check('a', 'web', 'critical', 'n2'), check('alias', '', 'critical')], true)).toEqual({ status: 'passing', output: 'No checks found.' });
  });

  it('a node alias mirrors the node-level checks', () => {
    expect(aliasVerdict({ node: 'n1', serviceID: '', selfCheckID: 'x' }, [check('serfHealth', '', 'critical')], false).status).toBe('critical');
  });
});
