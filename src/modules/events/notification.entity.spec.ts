// Notification and delivery ids are UUID v7 in creation order: paginate breaks createdAt ties by id, and the
// deliveries of one notification share its createdAt, so ids created within one millisecond must sort as created.
import { Delivery } from '../deliveries/delivery.entity';
import { Notification } from './notification.entity';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('notification and delivery ids', () => {
  afterEach(() => jest.restoreAllMocks());

  it('are version 7 UUIDs carrying the creation time', () => {
    const before = Date.now();
    const id = new Notification().id;
    expect(id).toMatch(V7);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it('sort in creation order and never repeat within one millisecond', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.now());
    const ids = Array.from({ length: 5000 }, (_, index) =>
      index % 2 ? new Delivery().id : new Notification().id,
    );
    expect(new Set(ids.map((id) => id.slice(0, 13))).size).toBe(1);
    expect(ids.every((id, index) => index === 0 || ids[index - 1] < id)).toBe(true);
  });
});
