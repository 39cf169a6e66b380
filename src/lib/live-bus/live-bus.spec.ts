// RecentMessages: the filter that lets a message reach a topic's listeners once, however it arrives.
import { RecentMessages } from './live-bus';

interface Message {
  id?: string;
}

describe('RecentMessages', () => {
  const keyOf = (message: Message) => message.id;

  it('passes a keyed message once per topic', () => {
    const recent = new RecentMessages<Message>(keyOf);
    expect(recent.firstTime('stack:a', { id: '1' })).toBe(true);
    expect(recent.firstTime('stack:a', { id: '1' })).toBe(false);
    expect(recent.firstTime('account:x', { id: '1' })).toBe(true);
    expect(recent.firstTime('stack:a', { id: '2' })).toBe(true);
  });

  it('always passes a message without a key', () => {
    const recent = new RecentMessages<Message>(keyOf);
    expect(recent.firstTime('viewer-changes', {})).toBe(true);
    expect(recent.firstTime('viewer-changes', {})).toBe(true);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const recent = new RecentMessages<Message>(keyOf, 2);
    for (const id of ['1', '2', '3']) recent.firstTime('t', { id });
    expect(recent.firstTime('t', { id: '3' })).toBe(false);
    expect(recent.firstTime('t', { id: '1' })).toBe(true);
  });
});
