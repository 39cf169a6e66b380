import { derivedId, parseDerivedId } from './global-id';

describe('derived ids', () => {
  test('round-trip type name and parts', () => {
    const id = derivedId('PreferenceCell', '0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c11', 'JOB_FAIL', 'SLACK');
    expect(id).toBe('PreferenceCell:0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c11:JOB_FAIL:SLACK');
    expect(parseDerivedId(id)).toEqual({
      typeName: 'PreferenceCell',
      parts: ['0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c11', 'JOB_FAIL', 'SLACK'],
    });
  });

  test('a row UUID or a malformed id is not a derived id', () => {
    expect(parseDerivedId('0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c11')).toBeNull();
    expect(parseDerivedId('lowercase:x')).toBeNull();
    expect(parseDerivedId('')).toBeNull();
    expect(parseDerivedId('Stack')).toBeNull();
  });
});
