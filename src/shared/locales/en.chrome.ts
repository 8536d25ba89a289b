/** English texts of the chrome area (wired into en.ts as `chrome`): every page's header. */
export const enChrome = {
  /** The product's name, in every page's header and title. */
  product: 'Class meetings on Zoom',
  /** The course and its school, beside the product's name: "Zoom Practice 101 · Riverside School". */
  context: '{{course}} · {{school}}',
  sandbox: {
    label: 'SANDBOX',
    detail: 'an emulated LMS and a simulated Zoom: nothing here is real',
  },
};
