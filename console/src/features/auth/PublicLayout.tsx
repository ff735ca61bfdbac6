import { Box, Center, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguagePicker } from '../../ui/LanguagePicker';

/** The frame of the screens before sign-in: the portal's name, the language, one card. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w="100%" maw={420}>
        <Group justify="space-between">
          <Text fw={700} c="blue.8">
            {t('appName')}
          </Text>
          <LanguagePicker />
        </Group>
        <Box>{children}</Box>
      </Stack>
    </Center>
  );
}
