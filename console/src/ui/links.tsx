import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

/** Mantine's Anchor and Button as typed router links (path params and search checked against the route tree), for every screen. */
function AnchorBase(props: AnchorProps & AnchorHTMLAttributes<HTMLAnchorElement> & { ref?: Ref<HTMLAnchorElement> }) {
  return <Anchor {...props} />;
}
function ButtonBase(props: ButtonProps & AnchorHTMLAttributes<HTMLAnchorElement> & { ref?: Ref<HTMLAnchorElement> }) {
  return <Button component="a" {...props} />;
}
export const AnchorLink = createLink(AnchorBase);
export const ButtonLink = createLink(ButtonBase);
