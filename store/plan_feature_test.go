package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestFeaturePlansMatchTheSeededPlans keeps domain's feature table (the plan a 402 plan_feature_unavailable
// names) in step with the plans the migrations seed: the named plan has the feature, no cheaper plan has it,
// and the message names the plan as the catalogue does.
func TestFeaturePlansMatchTheSeededPlans(t *testing.T) {
	t.Parallel()
	plans, err := storetest.MustOpen(t).App.Plans(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, plans)
	for _, f := range []string{domain.FeatureClientPortal, domain.FeatureTimeTracking, domain.FeatureInvoices,
		domain.FeatureCustomBranding, domain.FeatureAPIAccess} {
		t.Run(f, func(t *testing.T) {
			named := domain.FeaturePlan(f)
			// Plans come cheapest first: the first that has the feature is the one to upgrade to.
			i := slices.IndexFunc(plans, func(p *domain.Plan) bool { return slices.Contains(p.Features, f) })
			require.GreaterOrEqual(t, i, 0, "no seeded plan has %s", f)
			assert.Equal(t, plans[i].ID, named, "the cheapest plan with %s", f)
			gap := domain.FeatureUnavailable(f)
			require.NotNil(t, gap.Feature)
			assert.Equal(t, named, gap.Feature.Plan)
			assert.Contains(t, gap.Message, "the "+plans[i].Name+" plan")
		})
	}
}
