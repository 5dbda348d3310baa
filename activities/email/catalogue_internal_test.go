package email

import (
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
)

// dataRef finds the Data keys a template source reads.
var dataRef = regexp.MustCompile(`\.Data\.([A-Za-z0-9_]+)`)

// blockRef finds the shared layout blocks a template source calls.
var blockRef = regexp.MustCompile(`\{\{-?\s*template "([a-z_]+)"`)

// TestTemplatesMatchTheDomainCatalogue keeps the templates here and domain's catalogue in step: every
// catalogued email has its HTML and text files and renders from exactly the keys the catalogue lists (plus
// AppURL and items, which the sender adds), every key listed is read, and no template exists outside the catalogue.
func TestTemplatesMatchTheDomainCatalogue(t *testing.T) {
	names := domain.EmailTemplates()
	var parsed []string
	for name := range templates {
		parsed = append(parsed, name)
	}
	slices.Sort(parsed)
	assert.Equal(t, names, parsed, "templates/*.html and the catalogue in domain/email_template.go differ")

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			keys, ok := domain.EmailTemplateData(name)
			require.True(t, ok)
			data := map[string]any{"AppURL": "https://app.test", "items": []domain.EmailItem{}}
			for _, k := range keys {
				data[k] = "value-of-" + k
			}
			_, _, _, err := Renderer{}.Render(name, data)
			require.NoError(t, err, "the catalogue's keys do not suffice to render it")

			read := map[string]bool{}
			for _, ext := range []string{".html", ".txt"} {
				src, err := templateFS.ReadFile("templates/" + name + ext)
				require.NoError(t, err)
				for _, m := range dataRef.FindAllStringSubmatch(string(src), -1) {
					read[m[1]] = true
				}
				// Keys read by the layout's shared blocks the template calls (the notification emails').
				for _, m := range blockRef.FindAllStringSubmatch(string(src), -1) {
					var blocks []string
					if b := templates[name].html.Lookup(m[1]); b != nil {
						blocks = append(blocks, b.Tree.Root.String())
					}
					if b := templates[name].text.Lookup(m[1]); b != nil {
						blocks = append(blocks, b.Tree.Root.String())
					}
					for _, block := range blocks {
						for _, m := range dataRef.FindAllStringSubmatch(block, -1) {
							read[m[1]] = true
						}
					}
				}
			}
			for _, k := range keys {
				assert.True(t, read[k], "the catalogue lists %q, which the template never reads", k)
			}
		})
	}
}
