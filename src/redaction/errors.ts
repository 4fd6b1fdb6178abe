/** Why a clip could not be redacted; stored on the clip and shown in the API. Not retried. */
export type RedactionFailure =
  'unreadable-input' | 'no-video-stream' | 'unsupported-codec' | 'truncated-input';

export class RedactionInputError extends Error {
  constructor(
    readonly reason: RedactionFailure,
    message: string,
  ) {
    super(message);
  }
}
