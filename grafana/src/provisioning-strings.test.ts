import { describe, expect, it } from 'vitest';
import { envRef, toProvisioningValue } from './provisioning-strings.ts';

describe('provisioning strings', () => {
  it('doubles every literal $ and writes environment references as ${NAME}', () => {
    const value = toProvisioningValue({
      label: '{{ $labels.service }}',
      header: envRef('ALERT_WEBHOOK_SECRET'),
      mixed: `cost $5 for ${envRef('USER_NAME')}`,
      list: ['$a', 3, null],
    });
    expect(value).toEqual({
      label: '{{ $$labels.service }}',
      header: '${ALERT_WEBHOOK_SECRET}',
      mixed: 'cost $$5 for ${USER_NAME}',
      list: ['$$a', 3, null],
    });
  });

  it('refuses names that are not environment variables', () => {
    expect(() => envRef('lower-case')).toThrow(/not an environment variable name/);
  });
});
