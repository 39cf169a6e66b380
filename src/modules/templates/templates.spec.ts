import { ALL_EVENT_TYPES } from './message-template.entity';
import { pickTemplate, templateChannelKey } from './delivery-templates';
import { withPlaceholders } from './templates.service';

describe('pickTemplate', () => {
  const all = { body: 'all', subject: null };
  const jobs = { body: 'jobs', subject: null };
  const templates = new Map([
    [`c1|${ALL_EVENT_TYPES}`, all],
    ['c1|job.fail', jobs],
    [`${templateChannelKey(null, 's1')}|job.fail`, jobs],
  ]);

  it("takes the event type's own, then the channel's for all event types, then none", () => {
    expect(pickTemplate(templates, 'c1', 'job.fail')).toBe(jobs);
    expect(pickTemplate(templates, 'c1', 'server.stopped')).toBe(all);
    expect(pickTemplate(templates, 'c2', 'job.fail')).toBeNull();
  });

  it("keeps a stack's email apart from its shared channels and from other stacks", () => {
    expect(pickTemplate(templates, templateChannelKey(null, 's1'), 'job.fail')).toBe(jobs);
    expect(pickTemplate(templates, templateChannelKey(null, 's2'), 'job.fail')).toBeNull();
  });
});

describe('withPlaceholders', () => {
  it('adds the data paths a template names that the sample lacks, and keeps the rest', () => {
    const sample = { server: 'db-1', nested: { a: 1 } };
    const filled = withPlaceholders(sample, [
      ['data', 'branch'],
      ['data', 'build', 'id'],
      ['title'],
      ['data', 'server'],
    ]);
    expect(filled).toEqual({ server: 'db-1', nested: { a: 1 }, branch: '‹branch›', build: { id: '‹id›' } });
    expect(sample).toEqual({ server: 'db-1', nested: { a: 1 } });
  });
});
