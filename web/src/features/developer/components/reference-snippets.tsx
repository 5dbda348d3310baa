import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
// The files themselves, not copies: CI runs verify.go and verify.mjs against our signer (see the tests beside them).
import goSnippet from '../snippets/verify.go?raw'
import nodeSnippet from '../snippets/verify.mjs?raw'
import { ReferenceCodeBlock } from './reference-code-block'

/** The signature verification code in Go and Node, as tested. */
export function ReferenceSnippets() {
  return (
    <Tabs defaultValue="go" className="grid grid-cols-1 gap-3">
      <TabsList aria-label="Language">
        <TabsTrigger value="go">Go</TabsTrigger>
        <TabsTrigger value="node">Node.js</TabsTrigger>
      </TabsList>
      <TabsContent value="go">
        <ReferenceCodeBlock code={goSnippet} label="Go receiver (package webhook)" />
      </TabsContent>
      <TabsContent value="node">
        <ReferenceCodeBlock code={nodeSnippet} label="Node.js receiver (verify.mjs)" />
      </TabsContent>
    </Tabs>
  )
}
