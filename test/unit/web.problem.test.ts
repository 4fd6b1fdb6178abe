// The shared web helper that turns the API's problem into a headline and a message per field.
import { describe, expect, it } from '@jest/globals';
import { ApiError, type Problem } from '../../web/src/api.js';
import { fieldErrors, headline, problemOf } from '../../web/src/lib/problem.js';

const invalid: Problem = {
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
};

describe('problems shown by forms', () => {
  it('takes the problem from an API error, and makes one of anything else', () => {
    expect(problemOf(new ApiError(invalid))).toBe(invalid);
    for (const e of [new Error('boom'), 'nope', null]) {
      expect(problemOf(e)).toEqual({
        type: '/problems/client',
        title: 'Something went wrong; try again',
        status: 0,
      });
    }
  });

  it('gives each field the first message the API names for it', () => {
    expect(fieldErrors(invalid)).toEqual({
      station: 'upper-case letters and digits (2–10)',
      password: 'at least 12 characters',
      errorThreshold: 'errorThreshold.count: Too small',
      from: 'not a valid date',
    });
    expect(fieldErrors(null)).toEqual({});
    expect(fieldErrors(problemOf(new Error('boom')))).toEqual({});
  });

  it('marks the field a domain refusal is about with its detail, unless the API named it already', () => {
    const exists = (type: string, detail: string): Problem => ({
      type,
      title: 'Conflict',
      status: 409,
      detail,
    });
    expect(fieldErrors(exists('/problems/camera-exists', "Camera 'VB-1' exists"))).toEqual({
      serial: "Camera 'VB-1' exists",
    });
    expect(fieldErrors(exists('/problems/asset-tag-exists', 'Asset tag taken'))).toEqual({
      assetTag: 'Asset tag taken',
    });
    expect(fieldErrors(exists('/problems/station-exists', 'Station NORTH exists'))).toEqual({
      code: 'Station NORTH exists',
    });
    expect(fieldErrors(exists('/problems/use-transfer', 'Use a transfer'))).toEqual({
      station: 'Use a transfer',
    });
    // The API's own words for the field win over the slug's detail.
    expect(
      fieldErrors({
        type: '/problems/unknown-station',
        title: 'Unknown station',
        status: 422,
        detail: "No station 'NOPE1'",
        errors: [{ path: 'body.station', message: "unknown station 'NOPE1'" }],
      }),
    ).toEqual({ station: "unknown station 'NOPE1'" });
    // A refusal about no one field marks none.
    expect(fieldErrors(exists('/problems/forbidden', 'Forbidden'))).toEqual({});
  });

  it('heads a validation failure with where to look, counting fields, not messages', () => {
    expect(headline(invalid)).toBe('Not accepted: correct the 4 fields marked');
    expect(headline({ ...invalid, errors: [invalid.errors![1]!, invalid.errors![2]!] })).toBe(
      'Not accepted: correct the field marked',
    );
  });

  it('heads any other refusal with its title and detail, once when they say the same', () => {
    expect(
      headline({
        type: '/problems/unknown-station',
        title: 'Unknown station',
        status: 422,
        detail: "No station 'NOPE1'",
      }),
    ).toBe("Unknown station: No station 'NOPE1'");
    expect(
      headline({ type: '/problems/forbidden', title: 'Forbidden', status: 403, detail: 'Forbidden' }),
    ).toBe('Forbidden');
    // A validation failure without field errors has nothing to mark: its own words.
    expect(headline({ ...invalid, errors: [] })).toBe(`The request is not valid: ${invalid.detail}`);
    expect(headline(problemOf(new Error('boom')))).toBe('Something went wrong; try again');
  });
});
