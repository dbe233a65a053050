/** The accessibility gate the page screenshots go through really catches problems. */
import { expect, it } from 'vitest';
import { seriousA11yFindings } from '../support/a11y.ts';
import { launchBrowser } from '../support/browser.ts';

it('flags an unlabeled input, an image without alt text and an empty button', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent(
      '<html lang="en"><body><main><input type="text"><img src="x.png"><button></button></main></body></html>',
    );
    const ids = (await seriousA11yFindings(page)).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['label', 'image-alt', 'button-name']));

    await page.setContent(
      '<html lang="en"><head><title>ok</title></head><body><main><h1>Fine</h1><label for="a">Name</label><input id="a"><button>Go</button></main></body></html>',
    );
    expect(await seriousA11yFindings(page)).toEqual([]);
  } finally {
    await browser.close();
  }
});
