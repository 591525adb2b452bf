import { describe, expect, it } from 'vitest';
import { isProjectRef, projectRefProblem, sameProjectRef } from './project-ref.js';

describe('project references', () => {
  it.each([
    [{ projectId: 'prj-1' }, true],
    [{ projectId: 'prj-1', taskId: 'tsk_2' }, true],
    [{ projectId: '' }, false],
    [{ projectId: 'a b' }, false],
    [{ projectId: 'x'.repeat(65) }, false],
    [{ projectId: 'p', taskId: 3 }, false],
    [{ projectId: 'p', extra: 1 }, false],
    [null, false],
    [['p'], false],
    ['p', false],
  ])('%j is a reference: %s', (x, ok) => {
    expect(isProjectRef(x)).toBe(ok);
    expect(projectRefProblem(x) === undefined).toBe(ok);
  });

  it('compares project and task', () => {
    expect(sameProjectRef({ projectId: 'a' }, { projectId: 'a' })).toBe(true);
    expect(sameProjectRef({ projectId: 'a', taskId: 't' }, { projectId: 'a' })).toBe(false);
    expect(sameProjectRef(undefined, undefined)).toBe(true);
    expect(sameProjectRef(undefined, { projectId: 'a' })).toBe(false);
  });
});
