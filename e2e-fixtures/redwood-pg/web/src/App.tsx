import { RedwoodProvider } from '@redwoodjs/web'

const App = ({ children }: { children?: React.ReactNode }) => <RedwoodProvider titleTemplate="%PageTitle | %AppTitle">{children}</RedwoodProvider>

export default App
