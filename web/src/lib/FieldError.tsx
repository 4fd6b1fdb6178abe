// The message beside an input for the field the API named (lib/problem.ts), tied to the input by
// aria-describedby so a screen reader reads it with the field.
export interface FieldErrorsProps {
  /** Unique on the page: the form's name and the field's. */
  id: string;
  message: string | undefined;
}

/** Spread on the input: marks it invalid and points it at its message. */
export const invalidProps = ({ id, message }: FieldErrorsProps) =>
  message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};

export function FieldError({ id, message }: FieldErrorsProps) {
  if (!message) return null;
  return (
    <span id={id} className="error field-error">
      {message}
    </span>
  );
}
