package api_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
)

// referenceDoc is the part of the OpenAPI document the /developer reference depends on.
type referenceDoc struct {
	Info struct {
		Description string `json:"description"`
	} `json:"info"`
	Paths map[string]map[string]struct {
		Summary    string     `json:"summary"`
		Tags       []string   `json:"tags"`
		Parameters []refParam `json:"parameters"`
	} `json:"paths"`
	Webhooks map[string]struct {
		Post *struct {
			Parameters []struct {
				Name     string `json:"name"`
				In       string `json:"in"`
				Required bool   `json:"required"`
			} `json:"parameters"`
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"post"`
	} `json:"webhooks"`
	Components struct {
		Schemas map[string]refSchema `json:"schemas"`
	} `json:"components"`
	Tags []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	TagGroups []struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	} `json:"x-tagGroups"`
}

type refParam struct {
	Name string `json:"name"`
	In   string `json:"in"`
}

type refSchema struct {
	Ref                  string               `json:"$ref"`
	Enum                 []any                `json:"enum"`
	Properties           map[string]refSchema `json:"properties"`
	Required             []string             `json:"required"`
	AdditionalProperties any                  `json:"additionalProperties"`
}

func mustReferenceDoc(t *testing.T) referenceDoc {
	t.Helper()
	raw, err := api.OpenAPIDocument()
	require.NoError(t, err)
	var doc referenceDoc
	require.NoError(t, json.Unmarshal(raw, &doc))
	return doc
}

// schemaAt resolves a local $ref ("#/components/schemas/Name").
func (d referenceDoc) schemaAt(t *testing.T, ref string) refSchema {
	t.Helper()
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	require.True(t, ok, "ref %q", ref)
	s, ok := d.Components.Schemas[name]
	require.True(t, ok, "schema %s is missing from components", name)
	return s
}

func TestOpenAPIDocumentation(t *testing.T) {
	t.Parallel()

	t.Run("rendering_twice_gives_the_same_bytes", func(t *testing.T) {
		t.Parallel()
		a, err := api.OpenAPIDocument()
		require.NoError(t, err)
		b, err := api.OpenAPIDocument()
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "web/openapi.json would change on every `make openapi`")
	})

	t.Run("every_webhook_event_and_ping_documents_its_envelope_and_payload", func(t *testing.T) {
		t.Parallel()
		doc := mustReferenceDoc(t)
		types := append(slices.Clone(domain.WebhookEventTypes), domain.WebhookPing)
		assert.Len(t, doc.Webhooks, len(types), "one webhook per event type and the ping, nothing else")
		for _, typ := range types {
			wh, ok := doc.Webhooks[typ]
			require.True(t, ok, "webhook %s is not documented", typ)
			require.NotNil(t, wh.Post, typ)

			var headers []string
			for _, p := range wh.Post.Parameters {
				if p.In == "header" && p.Required {
					headers = append(headers, p.Name)
				}
			}
			assert.ElementsMatch(t, []string{domain.WebhookSignatureHeader, domain.WebhookEventHeader,
				domain.WebhookDeliveryHeader}, headers, typ)

			env := doc.schemaAt(t, wh.Post.RequestBody.Content["application/json"].Schema.Ref)
			assert.ElementsMatch(t, []string{"id", "type", "created_at", "organization_id", "data"}, env.Required, typ)
			assert.Equal(t, []any{typ}, env.Properties["type"].Enum, "%s: the envelope's type is fixed", typ)

			data := doc.schemaAt(t, env.Properties["data"].Ref)
			assert.Nil(t, data.AdditionalProperties, "%s: receivers must accept payload fields added later", typ)
			if typ != domain.WebhookPing {
				assert.ElementsMatch(t, jsonKeys(reflect.TypeOf(domain.WebhookPayloads[typ])), schemaKeys(data.Properties),
					"%s: the documented data is the payload struct the event is built from", typ)
			}
		}
	})

	t.Run("every_used_tag_is_described_and_in_exactly_one_group", func(t *testing.T) {
		t.Parallel()
		doc := mustReferenceDoc(t)
		used := map[string]bool{}
		for _, item := range doc.Paths {
			for _, op := range item {
				for _, tag := range op.Tags {
					used[tag] = true
				}
			}
		}
		listed := map[string]bool{}
		for _, tag := range doc.Tags {
			listed[tag.Name] = true
			assert.True(t, used[tag.Name], "tag %s is listed but no operation uses it", tag.Name)
		}
		grouped := map[string]int{}
		for _, g := range doc.TagGroups {
			for _, tag := range g.Tags {
				grouped[tag]++
			}
		}
		for tag := range used {
			assert.True(t, listed[tag], "tag %s is not listed", tag)
			// Renderers that honour x-tagGroups hide a tag no group names.
			assert.Equal(t, 1, grouped[tag], "tag %s must be in exactly one x-tagGroup", tag)
		}
	})

	t.Run("the_guide_covers_each_topic_and_names_every_idempotent_route", func(t *testing.T) {
		t.Parallel()
		doc := mustReferenceDoc(t)
		guide := doc.Info.Description
		for _, heading := range []string{"## Authentication", "## Rate limits", "## Errors", "## Pagination",
			"## Idempotency", "## Webhooks"} {
			assert.Contains(t, guide, heading)
		}
		for _, code := range []string{domain.EAPIKEYINVALID, domain.EAPIKEYREVOKED, domain.EAPIKEYEXPIRED,
			domain.ERATELIMITED, domain.EINVALID, domain.EPLANLIMIT, domain.EPLANFEATURE, domain.ENOTFOUND} {
			assert.Contains(t, guide, "`"+code+"`")
		}
		for _, typ := range domain.WebhookEventTypes {
			assert.Contains(t, guide, "| `"+typ+"` |", "the event table lists %s", typ)
		}

		idempotent := 0
		for path, item := range doc.Paths {
			for method, op := range item {
				if slices.ContainsFunc(op.Parameters, func(p refParam) bool {
					return p.In == "header" && p.Name == "Idempotency-Key"
				}) {
					idempotent++
					assert.Contains(t, guide, "- `"+strings.ToUpper(method)+" "+path+"`: "+op.Summary)
				}
			}
		}
		assert.GreaterOrEqual(t, idempotent, 3, "creating clients and invoices takes an Idempotency-Key")
	})
}

// jsonKeys are the JSON object keys of struct type t.
func jsonKeys(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

func schemaKeys(m map[string]refSchema) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
