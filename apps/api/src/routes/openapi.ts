/** OpenAPI: routes behind a guard declare the bearer scheme that api-core's swagger plugin defines. */
export const security = [{ bearerAuth: [] as string[] }];
