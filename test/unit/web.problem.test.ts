// The shared web helper that turns the API's problem into a headline and a message per field.
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../web/src/api.js';
import { fieldErrorsOf, headlineOf, problemOf } from '../../web/src/lib/problem.js';

const invalid = new ApiError({
  type: '/problems/validation-failed',
  title: 'The request is not valid',
  status: 400,
  detail: 'Invalid body: station: upper-case letters and digits (2–10); password: at least 12 characters',
  errors: [
    { path: 'body.station', message: 'upper-case letters and digits (2–10)' },
    { path: 'body.password', message: 'at least 12 characters' },
    { path: 'body.password', message: 'a second message for the same field' },
    { path: 'body.errorThreshold.count', message: 'Too small' },
    { path: 'query.from', message: 'not a valid date' },
  ],
});

describe('problems shown by forms', () => {
  it('gives each field the first message the API names for it', () => {
    expect(fieldErrorsOf(invalid)).toEqual({
      station: 'upper-case letters and digits (2–10)',
      password: 'at least 12 characters',
      errorThreshold: 'errorThreshold.count: Too small',
      from: 'not a valid date',
    });
  });

  it('heads with the title and the detail, and copes with what is not a problem', () => {
    expect(headlineOf(invalid)).toBe(
      'The request is not valid: Invalid body: station: upper-case letters and digits (2–10); password: at least 12 characters',
    );
    const bare = new ApiError({
      type: '/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'Forbidden',
    });
    expect(headlineOf(bare)).toBe('Forbidden');
    expect(headlineOf(new Error('boom'))).toBe('Something went wrong; try again');
    expect(fieldErrorsOf(new Error('boom'))).toEqual({});
    expect(problemOf('nope')).toBeNull();
  });
});
