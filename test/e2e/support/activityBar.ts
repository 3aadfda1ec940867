// The workbench's activity bar: show a view container without toggling it closed when it is already shown
// (clicking the selected entry hides the side bar), and the Hearth webview's document.
import { expect } from '@playwright/test';
import type { FrameLocator, Locator, Page } from 'playwright-core';

const hearthIframeSelector = 'iframe.webview.ready[src*="extensionId=hearth-dev.hearth"]';

function entry(page: Page, label: string): Locator {
  return page.locator('.part.activitybar li.action-item').filter({ has: page.locator(`a[aria-label^="${label}"]`) });
}

/** Selects the activity-bar entry whose label starts with `label`, unless it is selected already. */
export async function showViewContainer(page: Page, label: string): Promise<void> {
  const item = entry(page, label);
  await expect(item).toBeVisible({ timeout: 30_000 });
  // Retried as a whole: right after a reload the workbench may still be restoring the last shown container, and
  // a click that lands after that restore toggles it closed again.
  await expect(async () => {
    if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
    await expect(item).toHaveAttribute('aria-selected', 'true', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

/** The outer iframe VS Code shows the Hearth webview in. */
export function hearthIframe(page: Page): Locator {
  return page.locator(hearthIframeSelector);
}

/** The Hearth webview's document (two iframes deep). */
export function hearthFrame(page: Page): FrameLocator {
  return page.frameLocator(hearthIframeSelector).frameLocator('#active-frame');
}

/** Shows the Hearth view (whatever was shown before) and returns its document. */
export async function showHearth(page: Page): Promise<FrameLocator> {
  await showViewContainer(page, 'Hearth');
  return hearthFrame(page);
}

/**
 * A view-title icon of the Hearth view (New Chat, Show Conversations): the panel has no duplicate buttons. Its
 * accessible name is the command title, followed by the keybinding when it has one.
 */
export function viewTitleAction(page: Page, title: string): Locator {
  return page.locator('.part.sidebar').getByRole('button', { name: new RegExp(`^${title}( \\(|$)`) });
}
