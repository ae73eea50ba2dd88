export { loadPeople, parsePeopleText, PeopleFileError } from './load-people';
