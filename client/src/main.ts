// Entry point of the console: registers the components the page uses.
import './components/fd-app/fd-app.component';
