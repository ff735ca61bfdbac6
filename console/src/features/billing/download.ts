/**
 * Saves a file the API answered: the bytes were fetched through the API client (with the
 * session's bearer token, which a plain `<a href>` cannot carry), then handed to the browser as a
 * blob URL on a link with `download`, so it is saved under `name` and never opened in the tab.
 */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; give slow machines a minute before letting it go.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
