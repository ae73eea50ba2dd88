export { loadCompanyDays, parseCompanyDays, HolidayFileError, type CompanyDay } from './company-days';
export { createHolidayCalendar } from './holiday-calendar';
export { placeProblem } from './public-holidays';
