import { NavLink, type NavLinkProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

function NavLinkBase(props: NavLinkProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'onChange'> & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavLink component="a" {...props} />;
}
/** Mantine's NavLink as a typed router link (a list of places, with a line saying what each holds). */
export const NavLinkTo = createLink(NavLinkBase);

