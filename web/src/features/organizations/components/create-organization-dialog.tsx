import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { CreateOrganizationForm } from './create-organization-form'

/** The "Create organization" dialog opened from the organization switcher. */
export function CreateOrganizationDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create organization</DialogTitle>
          <DialogDescription>A separate workspace with its own clients, projects and billing. You'll be its owner.</DialogDescription>
        </DialogHeader>
        <CreateOrganizationForm
          onCreated={() => onOpenChange(false)}
          secondaryAction={
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
          }
        />
      </DialogContent>
    </Dialog>
  )
}
