import { Anchor, type AnchorProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

/** Mantine's Anchor as a typed router link (path params checked against the route tree). */
function AnchorBase(props: AnchorProps & AnchorHTMLAttributes<HTMLAnchorElement> & { ref?: Ref<HTMLAnchorElement> }) {
  return <Anchor {...props} />;
}
export const AnchorLink = createLink(AnchorBase);
