import { NavLink, type NavLinkProps } from '@mantine/core';
import { createLink, useNavigate } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, MouseEvent, Ref } from 'react';

function NavLinkBase(props: NavLinkProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'onChange'> & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavLink component="a" {...props} />;
}
/** Mantine's NavLink as a typed router link (a list of places, with a line saying what each holds). */
export const NavLinkTo = createLink(NavLinkBase);

/**
 * A click handler for a plain `href` inside the console (a screen whose route or search is not
 * typed yet): the router follows it without reloading the page; a modified click (new tab) is the
 * browser's.
 */
export function useHrefClick(href: string) {
  const navigate = useNavigate();
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate({ href });
  };
}
