import { Button, CopyButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { Notice } from '../auth/Notice';
import type { ShownSecret } from './queries';

/** A read-only value with its copy button, labelled for screen readers. */
function CopyField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const { t } = useTranslation('integrations');
  return (
    <Stack gap={4}>
      {/* Wrapped whole, so every character can be read at 360 px too. */}
      <Textarea label={label} value={value} readOnly autosize minRows={1} styles={{ input: { fontFamily: 'monospace', wordBreak: 'break-all' } }} onFocus={(e) => e.currentTarget.select()} />
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Group>
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? t('secret.copied') : copyLabel}
            </Button>
          </Group>
        )}
      </CopyButton>
    </Stack>
  );
}

/**
 * A secret the API answers this once (a new client's, a rotated one, an endpoint's signing
 * secret): the API keeps only its hash, so the dialog says so and closes only when the person
 * confirms they stored it.
 */
export function SecretModal({ shown, kind, onClose }: { shown: ShownSecret | undefined; kind: 'client' | 'rotated' | 'webhook'; onClose: () => void }) {
  const { t } = useTranslation('integrations');
  const f = useFormat();
  return (
    <Modal opened={!!shown} onClose={onClose} title={t(`secret.title.${kind}`)} withCloseButton={false} closeOnClickOutside={false} closeOnEscape={false} size="lg">
      {shown ? (
        <Stack gap="sm">
          <Notice color="orange" variant="light" role="alert" title={t('secret.onceTitle')}>
            {t(kind === 'webhook' ? 'secret.onceWebhook' : 'secret.onceClient')}
          </Notice>
          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
            {shown.name}
          </Text>
          {shown.clientId ? <CopyField label={t('secret.clientId')} value={shown.clientId} copyLabel={t('secret.copyClientId')} /> : null}
          <CopyField label={kind === 'webhook' ? t('secret.signingSecret') : t('secret.clientSecret')} value={shown.secret} copyLabel={t('secret.copySecret')} />
          {kind === 'rotated' ? (
            <Text size="sm">{shown.previousUntil ? t('secret.previousUntil', { date: f.dateTime(shown.previousUntil) }) : t('secret.previousStopped')}</Text>
          ) : null}
          {kind === 'webhook' ? <Text size="sm">{t('secret.verifyHint')}</Text> : <Text size="sm">{t('secret.tokenHint')}</Text>}
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('secret.stored')}</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
