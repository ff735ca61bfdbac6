import { Alert } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, type ErrorDetail } from '../api/errors';

/** The translated message of an API error (by its stable code, never the server's English). */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    return t(`code.${err.code}` as never, { ns: 'errors', defaultValue: t('code.try_again', { ns: 'errors' }) });
  }
  return t('code.try_again', { ns: 'errors' });
}

const FIELD_CODES: Record<string, string> = {
  too_small: 'tooSmall',
  too_big: 'tooBig',
  invalid_characters: 'invalidCharacters',
  invalid_format: 'invalid',
  invalid_string: 'invalid',
  invalid_type: 'invalid',
  required: 'required',
};

/** A field error in the user's language: a known API code, or the field detail's kind. */
export function fieldMessage(detail: ErrorDetail, t: TFunction): string {
  if (detail.code && t(`code.${detail.code}` as never, { ns: 'errors', defaultValue: '' })) return t(`code.${detail.code}` as never, { ns: 'errors' });
  return t(`field.${FIELD_CODES[detail.code ?? ''] ?? 'invalid'}` as never, { ns: 'errors' });
}

/**
 * Puts an API refusal's field errors on the form's fields (`fields` maps an API path to a form
 * path when they differ) and answers whether any landed; the caller shows the rest in an alert.
 */
export function applyFieldErrors<T>(form: UseFormReturnType<T>, err: unknown, t: TFunction, fields: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError)) return false;
  const errors: Record<string, string> = {};
  for (const [path, detail] of Object.entries(err.fieldErrors())) {
    const target = fields[path] ?? path;
    if (target in (form.getValues() as object) || target.includes('.') || fields[path]) errors[target] = fieldMessage(detail, t);
  }
  if (err.code === 'login_taken' && fields.login !== undefined) errors[fields.login] = t('code.login_taken', { ns: 'errors' });
  form.setErrors(errors);
  return Object.keys(errors).length > 0;
}

/** An error in an alert next to what caused it; `role="alert"` so it is announced. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert" title={title}>
      {errorMessage(error, t)}
    </Alert>
  );
}
