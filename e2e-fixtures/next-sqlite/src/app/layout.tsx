import type { Metadata } from 'next'

export const metadata: Metadata = {
  title: 'Acme',
  description: 'Sign up and get a welcome email',
}

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
