/** The OpenAPI document the API serves (Huma's OpenAPIPath + ".json"): the same bytes as web/openapi.json. */
export const openAPIURL = '/api/v1/openapi.json'
