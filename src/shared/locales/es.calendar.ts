/** Spanish texts of the calendar area (wired into es.ts as `calendar`). */
export const esCalendar = {
  subscribe: 'Suscribirse en tu aplicación de calendario',
  address: 'Dirección del calendario',
  addressHint: 'Pégala donde tu aplicación de calendario pida la URL de un calendario.',
  copy: 'Copiar',
  copyLabel: 'Copiar la dirección del calendario',
  copied: 'Dirección del calendario copiada.',
  pressToCopy: 'Pulsa {{keys}} para copiar',
  pressToCopyStatus: 'La dirección está seleccionada: pulsa {{keys}} para copiarla.',
  appsHeading: 'En tu aplicación de calendario',
  google: 'Google Calendar',
  googleHow: 'en Otros calendarios, elige «Desde URL» y pega la dirección, o',
  googleLink: 'añádelo a Google Calendar',
  outlook: 'Outlook',
  outlookHow: 'elige Agregar calendario → «Suscribirse desde la web» y pega la dirección, o',
  outlookLink: 'añádelo a Outlook en la web',
  apple: 'Calendario de Apple',
  appleHow:
    'el enlace Suscribirse de arriba lo abre; o elige Archivo → Nueva suscripción a calendario y pega la dirección.',
  newWindow: '(se abre en una ventana nueva)',
};
